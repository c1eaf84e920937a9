package io.vmegcamel.it;

import io.vmegcamel.ledger.StoredEvent;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.sandbox.RecordedRequest;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** What the download tests look at: the one task of the one dropped file, its final event, the CDN GETs. */
abstract class DownloadTestSupport extends BundleTestSupport {

    protected Optional<Task> task() {
        return ledger().jobs().recent(1).stream().findFirst()
                .flatMap(job -> ledger().tasks().forJob(job.id()).stream().findFirst());
    }

    /** The stored final ("finished") event of the task, once VMEG has sent it. */
    protected Optional<StoredEvent> finalEvent() {
        return task().filter(t -> t.vmegTaskId() != null)
                .flatMap(t -> ledger().events().forTask(t.vmegTaskId()).stream().findFirst());
    }

    protected boolean eventIs(String state) {
        return finalEvent().map(e -> e.state().equals(state)).orElse(false);
    }

    /** GETs of the dubbed video at the sandbox's CDN, in order. */
    protected List<RecordedRequest> videoGets() {
        return sandbox().journal().stream()
                .filter(r -> r.method().equals("GET") && r.path().startsWith("/cdn/") && r.path().endsWith(".mp4"))
                .toList();
    }

    protected Path languageDir(String name, String lang) {
        return env.outbox().resolve(name).resolve(lang);
    }

    protected static List<String> names(Path dir) {
        return list(dir).stream().map(p -> p.getFileName().toString()).toList();
    }
}
