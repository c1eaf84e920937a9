package io.vmegcamel.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmegcamel.delivery.PartFiles;
import io.vmegcamel.delivery.Publication;
import io.vmegcamel.ledger.Ledger;
import io.vmegcamel.storage.OutboxPublisher;
import io.vmegcamel.storage.RemoteFollower;
import io.vmegcamel.storage.RemoteInbox;
import io.vmegcamel.storage.RemoteStorage;
import io.vmegcamel.storage.RemoteStore;
import io.vmegcamel.storage.S3Store;
import io.vmegcamel.storage.SftpStore;
import io.vmegcamel.storage.SpoolBudget;
import io.vmegcamel.storage.SpoolMarker;
import io.vmegcamel.storage.StorageLocation;
import io.vmegcamel.storage.StoragePlaces;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;
import software.amazon.awssdk.services.s3.S3Client;

/** Builds the remote storage parts (issue 8) for {@code vmeg.inbox} and {@code vmeg.outbox}, when they are remote. */
record StorageWiring(RemoteStorage remoteStorage, Publication publication) {

    static StorageWiring wire(CamelContext context, Settings settings, Ledger ledger, ObjectMapper json,
            Clock clock) {
        PropertiesComponent p = context.getPropertiesComponent();
        StoragePlaces.Locations locations = StoragePlaces.apply(p);
        RemoteInbox inbox = null;
        RemoteFollower follower = null;
        OutboxPublisher outbox = null;
        if (locations.remoteInbox()) {
            StorageLocation l = locations.inbox().orElseThrow();
            RemoteStore store = store(context, l);
            Map<Path, String> places = new LinkedHashMap<>();
            places.put(settings.inboxDir(), null);
            places.put(settings.processingDir(), null);
            places.put(settings.heldDir(), StorageLocation.HELD);
            places.put(settings.failedDir(), StorageLocation.FAILED);
            places.put(settings.archiveDir(), StorageLocation.ARCHIVE);
            SpoolMarker markers = new SpoolMarker(json, List.copyOf(places.keySet()));
            Path staging = settings.dataDir().resolve("spool").resolve(".incoming");
            PartFiles.removeLeftovers(List.of(staging)); // part files a kill left mid-spool: their objects are retaken
            long maxBytes = Long.parseLong(p.resolveProperty("vmeg.storage.spool-max-bytes").orElse("21474836480"));
            Duration stable = Duration.ofMillis(Long.parseLong(
                    p.resolveProperty("vmeg.ingest.stable-check-ms").orElse("1000")));
            inbox = new RemoteInbox(store, l, settings.inboxDir(), staging, markers, ledger.remote(), json, stable, new SpoolBudget(markers, maxBytes),
                    clock);
            follower = new RemoteFollower(store, l, markers, ledger, json, places);
        }
        if (locations.remoteOutbox()) {
            StorageLocation l = locations.outbox().orElseThrow();
            outbox = new OutboxPublisher(store(context, l), l, settings.outboxDir(), ledger.remote());
        }
        return new StorageWiring(new RemoteStorage(inbox, follower, outbox),
                outbox == null ? Publication.local() : outbox);
    }

    private static RemoteStore store(CamelContext context, StorageLocation l) {
        return switch (l.kind()) {
            case S3 -> new S3Store(s3(context), l.bucket());
            case SFTP -> closing(context, SftpStore.of(context, l,
                    key -> context.getPropertiesComponent().resolveProperty(key).filter(v -> !v.isBlank())
                            .orElse(null)));
            case LOCAL -> throw new IllegalStateException("not remote: " + l);
        };
    }

    private static RemoteStore closing(CamelContext context, RemoteStore store) {
        try {
            context.addService(new Closing("sftp-store", store));
        } catch (Exception e) {
            throw new IllegalStateException("cannot register the SFTP store for closing", e);
        }
        return store;
    }

    /** One S3 client for the bundle, also bound for Camel's aws2-s3 endpoints ({@code #vmegS3Client}). */
    private static S3Client s3(CamelContext context) {
        S3Client client = context.getRegistry().lookupByNameAndType("vmegS3Client", S3Client.class);
        if (client == null) {
            PropertiesComponent p = context.getPropertiesComponent();
            client = S3Store.client(p.resolveProperty("vmeg.s3.region").orElse(""),
                    p.resolveProperty("vmeg.s3.endpoint").orElse(""));
            context.getRegistry().bind("vmegS3Client", client);
            try {
                context.addService(new Closing("s3-client", client));
            } catch (Exception e) {
                throw new IllegalStateException("cannot register the S3 client for closing", e);
            }
        }
        return client;
    }
}
