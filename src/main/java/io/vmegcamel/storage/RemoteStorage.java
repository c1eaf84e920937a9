package io.vmegcamel.storage;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code routes/storage.camel.yaml} calls: take new remote inbox objects, and keep the remote storage in step
 * with the local spool. Each part is absent when its storage is local, and then does nothing.
 */
public final class RemoteStorage {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteStorage.class);

    private final RemoteInbox inbox;
    private final RemoteFollower follower;
    private final OutboxPublisher outbox;
    /** What keeps the remote inbox from being read, for health; null while it is read fine. */
    private volatile String problem;

    public RemoteStorage(RemoteInbox inbox, RemoteFollower follower, OutboxPublisher outbox) {
        this.inbox = inbox;
        this.follower = follower;
        this.outbox = outbox;
    }

    public static RemoteStorage none() {
        return new RemoteStorage(null, null, null);
    }

    /** New objects of the remote inbox into the local spool. */
    public int takeNew() {
        if (inbox == null) {
            return 0;
        }
        try {
            int n = inbox.poll();
            if (problem != null) {
                LOG.info("remote inbox: readable again");
            }
            problem = null;
            return n;
        } catch (IOException | RuntimeException e) {
            String now = "the remote inbox cannot be read: " + e.getMessage();
            if (!now.equals(problem)) {
                LOG.error("{} (retried every poll; health check vmeg-storage is DOWN meanwhile)", now);
            }
            problem = now;
            return 0;
        }
    }

    /** Why the remote inbox cannot be read right now, or null. */
    public String problem() {
        return problem;
    }

    /** The remote places follow the local ones, stranded objects are spooled again, the outbox is published. */
    public int follow() {
        int n = 0;
        if (inbox != null) {
            n += follower.run();
            try {
                n += inbox.repair();
            } catch (IOException e) {
                LOG.error("remote inbox: the processing place could not be checked: {}", e.getMessage());
            }
        }
        if (outbox != null) {
            n += outbox.sweep();
        }
        return n;
    }
}
