package io.vmegcamel.delivery;

import java.nio.file.Path;

/** Where results are published beyond the local outbox (a remote outbox), and under which address. */
public interface Publication {

    /** Publishes the files of a result folder; returns once they are on the target storage. */
    void folder(Path dir);

    /** The address of a local outbox path once published (the path itself when there is no remote outbox). */
    String address(Path local);

    /** The local outbox is the outbox: nothing to publish. */
    static Publication local() {
        return new Publication() {
            @Override
            public void folder(Path dir) {
            }

            @Override
            public String address(Path local) {
                return local.toString();
            }
        };
    }
}
