package io.vmegcamel.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vmegcamel.ingest.FailureReport;
import io.vmegcamel.ingest.JobSpecs;
import io.vmegcamel.ingest.RejectedFileException.Reason;
import io.vmegcamel.ingest.SourceFiles;
import io.vmegcamel.ingest.SourceMoves;
import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.JobState;
import io.vmegcamel.ledger.Ledger;
import io.vmegcamel.ledger.Task;
import io.vmegcamel.ledger.TaskState;
import io.vmegcamel.storage.SpoolMarker;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The operator's decision on jobs the cost guard held ({@code java -jar vmeg-camel.jar jobs ...}): list them,
 * release one (its file goes back to the inbox sub-folder it came from and is submitted, whatever the caps: the
 * release is the operator's approval of that estimate), or give up on one (its file goes to the failed folder with
 * an error report; nothing is bought). Works on the ledger the bundle uses, whether or not the bundle runs.
 */
public final class JobCommands {

    static final String USAGE = """
            usage: java -jar vmeg-camel.jar jobs                       jobs held by the cost guard
                   java -jar vmeg-camel.jar jobs release <jobId>       submit it anyway (the caps do not hold it again)
                   java -jar vmeg-camel.jar jobs give-up <jobId>       do not submit it: the file goes to failed/
            jobId: see held/<file>.held.json or the list.""";

    private final Ledger ledger;
    private final Settings settings;
    private final ObjectMapper json;
    private final PrintStream out;

    public JobCommands(Ledger ledger, Settings settings, ObjectMapper json, PrintStream out) {
        this.ledger = ledger;
        this.settings = settings;
        this.json = json;
        this.out = out;
    }

    /** Runs one command; returns the process exit code (0 done, 1 refused, 2 usage). */
    public int run(List<String> args) throws IOException {
        if (args.isEmpty() || args.get(0).equals("list")) {
            return list();
        }
        if (args.get(0).equals("release") && args.size() == 2) {
            return release(args.get(1));
        }
        if (args.get(0).equals("give-up") && args.size() == 2) {
            return giveUp(args.get(1));
        }
        out.println(USAGE);
        return 2;
    }

    private int list() {
        List<Job> held = ledger.jobs().inState(JobState.HELD);
        if (held.isEmpty()) {
            out.println("No job is held by the cost guard.");
            return 0;
        }
        for (Job job : held) {
            JsonNode report = readTree(job.errorJson());
            out.printf("%s  %s  estimate %s credits, %s cap %s%n    %s%n", job.id(), job.location(),
                    report.path("estimate").path("estimatedCredits").asText("?"), report.path("cap").asText(),
                    report.path("capCredits").asText(), report.path("message").asText());
        }
        return 0;
    }

    private int release(String jobId) throws IOException {
        Optional<Job> found = held(jobId);
        if (found.isEmpty()) {
            return refuse(why(jobId));
        }
        Job job = found.get();
        Path source = Path.of(job.location());
        Path back = settings.inboxDir().resolve(ledger.jobs().folder(jobId)).resolve(job.fileName());
        if (Files.exists(back)) {
            return refuse(back + " exists: the released file must come back under its own name (its job resumes "
                    + "by name and content). Run the command again once that file has been taken.");
        }
        boolean released = ledger.jdbc().inTransaction(() -> {
            if (!ledger.jobs().transition(jobId, JobState.HELD,
                    job.materialId() == null ? JobState.RECEIVED : JobState.UPLOADED)) {
                return false;
            }
            ledger.jobs().release(jobId);
            for (Task t : ledger.tasks().currentForJob(jobId)) {
                ledger.tasks().transition(t.id(), TaskState.HELD, TaskState.PENDING);
            }
            ledger.history().record(jobId, null, "RELEASED", "operator released the held job: submitted whatever "
                    + "the cost caps");
            return true;
        });
        if (!released) {
            return refuse(why(jobId));
        }
        if (Files.isRegularFile(source)) {
            Files.createDirectories(back.getParent());
            Path sidecar = JobSpecs.sidecarOf(source);
            if (Files.isRegularFile(sidecar)) { // first: the media file must not be taken without its spec
                Files.move(sidecar, JobSpecs.sidecarOf(back));
            }
            moveMarker(source, back);
            Files.move(source, back);
            Files.deleteIfExists(SourceFiles.heldReportOf(source));
            ledger.jobs().setLocation(jobId, back.toString());
            out.println("Released job " + jobId + ": " + back + " is back in the inbox and is submitted (the cost caps "
                    + "do not hold it again; its credits count towards today's total).");
        } else {
            out.println("Released job " + jobId + ". " + source + " is not there: drop " + job.fileName()
                    + " into " + back.getParent() + " to submit it.");
        }
        return 0;
    }

    private int giveUp(String jobId) throws IOException {
        Optional<Job> found = held(jobId);
        if (found.isEmpty()) {
            return refuse(why(jobId));
        }
        Job job = found.get();
        Path source = Path.of(job.location());
        Path target = new SourceMoves(ledger).target(settings.failedDir().resolve(ledger.jobs().folder(jobId)),
                job.fileName(), jobId);
        JsonNode held = readTree(job.errorJson());
        FailureReport report = FailureReport.of(json, job.fileName(), Reason.COST_CAP,
                job.fileName() + " was held by the cost guard (" + held.path("message").asText("over a cost cap")
                        + ") and an operator gave up on it. Nothing was submitted or charged.",
                "To have it translated after all, drop it into the inbox again: the cost guard checks it anew.");
        report.json().set("estimate", held.path("estimate"));
        report.json().put("cap", held.path("cap").asText());
        report.json().put("capCredits", held.path("capCredits").asLong());
        boolean given = ledger.jdbc().inTransaction(() -> {
            if (!ledger.jobs().transition(jobId, JobState.HELD, JobState.INGEST_FAILED)) {
                return false;
            }
            for (Task t : ledger.tasks().currentForJob(jobId)) {
                if (ledger.tasks().transition(t.id(), TaskState.HELD, TaskState.REJECTED)) {
                    ledger.tasks().noteError(t.id(), "held by the cost guard; the operator gave up: never sent");
                }
            }
            report.job(jobId, ledger.tasks().currentForJob(jobId));
            ledger.jobs().setState(jobId, JobState.INGEST_FAILED, report.json().toString());
            ledger.history().record(jobId, null, "GIVEN_UP", "operator gave up on the held job");
            return true;
        });
        if (!given) {
            return refuse(why(jobId));
        }
        report.writeNextTo(target, json);
        if (Files.isRegularFile(source)) {
            Files.createDirectories(target.getParent());
            Path sidecar = JobSpecs.sidecarOf(source);
            if (Files.isRegularFile(sidecar)) {
                Files.move(sidecar, JobSpecs.sidecarOf(target));
            }
            moveMarker(source, target);
            Files.move(source, target);
            Files.deleteIfExists(SourceFiles.heldReportOf(source));
            ledger.jobs().setLocation(jobId, target.toString());
        }
        out.println("Gave up on job " + jobId + ": " + target + " (report " + target.getFileName()
                + ".error.json). Nothing was submitted.");
        return 0;
    }

    private Optional<Job> held(String jobId) {
        return ledger.jobs().get(jobId).filter(j -> j.state() == JobState.HELD);
    }

    private String why(String jobId) {
        return ledger.jobs().get(jobId).map(j -> "job " + jobId + " is " + j.state() + ": only a HELD job can be "
                + "released or given up").orElse("no job " + jobId + " in the ledger");
    }

    private JsonNode readTree(String text) {
        try {
            return text == null ? json.createObjectNode() : json.readTree(text);
        } catch (IOException e) {
            return json.createObjectNode();
        }
    }

    private int refuse(String why) {
        out.println("Refused: " + why);
        return 1;
    }

    /** A spooled copy of a remote object takes its marker along (before the media: the ingest may take it at once). */
    private static void moveMarker(Path source, Path target) throws IOException {
        Path marker = SpoolMarker.of(source);
        if (Files.isRegularFile(marker)) {
            Files.move(marker, SpoolMarker.of(target));
        }
    }
}
