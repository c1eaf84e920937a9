package io.vmegcamel.ingest;

import io.vmegcamel.vmeg.VmegAccess;
import java.io.File;
import org.apache.camel.component.file.GenericFile;
import org.apache.camel.component.file.GenericFileFilter;

/**
 * The inbox consumer's filter: no file is taken while VMEG refuses the key or the credits (they wait in the
 * inbox, and the consumer stays up, so the bundle stays ready for webhooks), and never a quarantined one.
 */
public final class InboxGate implements GenericFileFilter<File> {

    private final VmegAccess access;
    private final InboxQuarantine quarantine;

    public InboxGate(VmegAccess access, InboxQuarantine quarantine) {
        this.access = access;
        this.quarantine = quarantine;
    }

    @Override
    public boolean accept(GenericFile<File> file) {
        return open() && quarantine.accept(file);
    }

    /** False while VMEG refuses the key or the credits: the remote inbox takes nothing either. */
    public boolean open() {
        return !access.isPaused();
    }
}
