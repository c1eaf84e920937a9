package io.vmegcamel.app;

import io.vmegcamel.ingest.JobSpecs;
import io.vmegcamel.ingest.SourceMoves;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.JobState;
import io.vmegcamel.ledger.Ledger;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.ledger.TaskState;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The operator's decisions on tasks the bundle will not decide alone ({@code java -jar vmeg-camel.jar tasks ...}):
 * list the tasks waiting for one, link a task to the VMEG task an operator found, or authorise a new attempt.
 * Works on the ledger the bundle uses (same settings), whether or not the bundle runs.
 */
public final class TaskCommands {

    static final String USAGE = """
            usage: java -jar vmeg-camel.jar tasks                          tasks waiting for an operator
                   java -jar vmeg-camel.jar tasks link <taskRef> <vmegTaskId>
                                                                       this task is that VMEG task: results follow
                   java -jar vmeg-camel.jar tasks retry <taskRef>      VMEG does not have it: submit it anew
                                                                       (buys it again if VMEG does have it)
            taskRef: see failed/<file>.error.json ("languages") or the list.""";

    private final Ledger ledger;
    private final Settings settings;
    private final PrintStream out;

    public TaskCommands(Ledger ledger, Settings settings, PrintStream out) {
        this.ledger = ledger;
        this.settings = settings;
        this.out = out;
    }

    /** Runs one command; returns the process exit code (0 done, 1 refused, 2 usage). */
    public int run(List<String> args) throws java.io.IOException {
        if (args.isEmpty() || args.get(0).equals("list")) {
            return list();
        }
        if (args.get(0).equals("link") && args.size() == 3) {
            return link(args.get(1), args.get(2));
        }
        if (args.get(0).equals("retry") && args.size() == 2) {
            return retry(args.get(1));
        }
        out.println(USAGE);
        return 2;
    }

    private int list() {
        List<Task> waiting = ledger.tasks().inStates(List.of(TaskState.UNCONFIRMED, TaskState.SUBMITTING));
        if (waiting.isEmpty()) {
            out.println("No task waits for an operator.");
            return 0;
        }
        for (Task t : waiting) {
            Job job = ledger.jobs().require(t.jobId());
            out.printf("%s  %-11s %-8s %s  first sent %s%n    %s%n", t.id(), t.state(), t.targetLanguage(),
                    job.fileName(), t.firstSentAt() == null ? "never" : t.firstSentAt(),
                    t.error() == null ? "(create-async in progress)" : t.error());
        }
        return 0;
    }

    private int link(String taskRef, String vmegTaskId) {
        Optional<Task> task = ledger.tasks().get(taskRef);
        if (task.isEmpty()) {
            return refuse("no task " + taskRef + " in the ledger");
        }
        Optional<Task> owner = ledger.tasks().byVmegTaskId(vmegTaskId);
        if (owner.isPresent()) {
            return refuse("VMEG task " + vmegTaskId + " is already linked to task " + owner.get().id());
        }
        Task t = task.get();
        boolean linked = ledger.jdbc().inTransaction(() -> {
            if (!ledger.tasks().confirmSubmitted(t.id(), vmegTaskId)) {
                return false;
            }
            ledger.tasks().touch(t.id(), java.time.Instant.EPOCH); // the reconciler asks tasks/detail at once
            ledger.history().record(t.jobId(), t.id(), "LINKED", "operator: this task is VMEG task " + vmegTaskId);
            if (ledger.jobs().reopen(t.jobId())) {
                ledger.history().record(t.jobId(), t.id(), "REOPENED", "operator linked a task");
            }
            return true;
        });
        if (!linked) {
            return refuse("task " + taskRef + " is " + t.state() + (t.vmegTaskId() == null ? ""
                    : " (VMEG task " + t.vmegTaskId() + ")") + ": only a task whose create-async outcome is unknown "
                    + "can be linked");
        }
        out.println("Linked task " + taskRef + " (" + t.targetLanguage() + ") to VMEG task " + vmegTaskId + ". The "
                + "bundle asks VMEG for its state at its next reconcile run and delivers the results.");
        return 0;
    }

    private int retry(String taskRef) throws java.io.IOException {
        Optional<Task> task = ledger.tasks().get(taskRef);
        if (task.isEmpty()) {
            return refuse("no task " + taskRef + " in the ledger");
        }
        Task t = task.get();
        Job job = ledger.jobs().require(t.jobId());
        boolean abandoned = ledger.jdbc().inTransaction(() -> {
            if (!ledger.tasks().abandonUnconfirmed(t.id(), "operator authorised a new attempt (the outcome of "
                    + "attempt " + t.attempt() + " stays unknown)")) {
                return false;
            }
            ledger.history().record(t.jobId(), t.id(), "RETRY AUTHORISED", "operator: attempt " + (t.attempt() + 1)
                    + " may be bought");
            if (job.state() == JobState.FAILED) {
                ledger.jobs().setState(job.id(), JobState.INGEST_FAILED, job.errorJson()); // resumable by a re-drop
            }
            return true;
        });
        if (!abandoned) {
            return refuse("task " + taskRef + " is " + t.state() + ": only an UNCONFIRMED task can be retried");
        }
        Path source = Path.of(job.location());
        Path inbox = settings.inboxDir().resolve(ledger.jobs().folder(job.id())); // the sub-folder is its spec
        if (Files.isRegularFile(source) && !source.getParent().equals(inbox)) {
            Files.createDirectories(inbox);
            Path back = new SourceMoves(ledger).target(inbox, source.getFileName().toString(), job.id());
            Path sidecar = JobSpecs.sidecarOf(source);
            if (Files.isRegularFile(sidecar)) { // first: the media file must not be taken without its spec
                Files.move(sidecar, JobSpecs.sidecarOf(back));
            }
            Files.move(source, back);
            SourceMoves.deleteReportOf(source, back);
            ledger.jobs().setLocation(job.id(), back.toString());
            out.println("Authorised a new attempt for task " + taskRef + " (" + t.targetLanguage() + "); " + back
                    + " is back in the inbox and its job resumes.");
        } else {
            out.println("Authorised a new attempt for task " + taskRef + " (" + t.targetLanguage() + "). Drop "
                    + job.fileName() + " into the inbox again to resume its job.");
        }
        return 0;
    }

    private int refuse(String why) {
        out.println("Refused: " + why);
        return 1;
    }
}
