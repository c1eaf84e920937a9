package io.vmegcamel.storage;

import java.nio.file.Path;
import java.util.Optional;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Reads {@code vmeg.inbox} and {@code vmeg.outbox} and points the local folders the flow works in at the right
 * place: a local inbox or outbox is used as it is (like {@code vmeg.inbox-dir}); with a remote one, the local
 * folders become a spool under {@code vmeg.data-dir}/spool, which the remote storage is fed from and follows.
 * Runs before the settings are read, by the bundle and by the operator commands alike.
 */
public final class StoragePlaces {

    private StoragePlaces() {
    }

    public record Locations(Optional<StorageLocation> inbox, Optional<StorageLocation> outbox) {
        public boolean remoteInbox() {
            return inbox.filter(StorageLocation::isRemote).isPresent();
        }

        public boolean remoteOutbox() {
            return outbox.filter(StorageLocation::isRemote).isPresent();
        }
    }

    public static Locations apply(PropertiesComponent properties) {
        Optional<StorageLocation> inbox = location(properties, "vmeg.inbox");
        Optional<StorageLocation> outbox = location(properties, "vmeg.outbox");
        Path spool = Path.of(properties.resolveProperty("vmeg.data-dir").orElse("./data")).resolve("spool");
        inbox.ifPresent(l -> {
            if (l.isRemote()) {
                for (String place : new String[] {"inbox", "processing", "archive", "failed", "held"}) {
                    properties.addOverrideProperty("vmeg." + place + "-dir", spool.resolve(place).toString());
                }
            } else {
                properties.addOverrideProperty("vmeg.inbox-dir", l.local().toString());
            }
        });
        outbox.ifPresent(l -> properties.addOverrideProperty("vmeg.outbox-dir",
                l.isRemote() ? spool.resolve("outbox").toString() : l.local().toString()));
        return new Locations(inbox, outbox);
    }

    private static Optional<StorageLocation> location(PropertiesComponent properties, String key) {
        return properties.resolveProperty(key).filter(v -> !v.isBlank()).map(v -> StorageLocation.parse(key, v));
    }
}
