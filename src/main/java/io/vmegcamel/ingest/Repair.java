package io.vmegcamel.ingest;

import io.vmegcamel.ledger.Job;
import io.vmegcamel.ledger.JobState;
import io.vmegcamel.ledger.Ledger;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finishes what a crash ({@code kill -9}, power loss) interrupted between a ledger commit and the file work it
 * called for, so that no job is left with nothing to move it on. Runs once at start, before any route, and then
 * periodically ({@code routes/repair.camel.yaml}); moves this process is making right now are left alone.
 * <ul>
 *   <li>a source moved by the inbox consumer (to processing/ or failed/) but not recorded: the sidecar follows,
 *       the location is recorded, a submitted job starts waiting for its results;</li>
 *   <li>a job whose final state is recorded but whose source move, error report or summary is not done: the
 *       missing steps are done;</li>
 *   <li>a submitted job whose source is in the processing folder (move confirmed) but that never started waiting
 *       for its results: it waits, and finishes if they are in;</li>
 *   <li>a job in processing whose every task has ended but which was never finished: it is finished.</li>
 * </ul>
 * A source whose recorded move never happened and that is still in the inbox is left to the inbox consumer, which
 * resumes its job.
 */
public final class Repair {

    private static final Logger LOG = LoggerFactory.getLogger(Repair.class);

    private final Ledger ledger;
    private final SourceMoves moves;
    private final SourceFiles sourceFiles;
    private final JobCompletion completion;
    private final InboxQuarantine quarantine;

    public Repair(Ledger ledger, SourceMoves moves, SourceFiles sourceFiles, JobCompletion completion,
            InboxQuarantine quarantine) {
        this.ledger = ledger;
        this.moves = moves;
        this.sourceFiles = sourceFiles;
        this.completion = completion;
        this.quarantine = quarantine;
    }

    /** One pass; returns how many jobs it moved on. */
    public int run() {
        int repaired = 0;
        for (Job job : ledger.jobs().withMoveUnderWay()) {
            if (moves.isInFlight(job.id())) {
                continue;
            }
            try {
                if (repair(job)) {
                    repaired++;
                }
            } catch (RuntimeException e) {
                LOG.error("repair of job {} ({}) failed, retried at the next pass: {}", job.id(), job.fileName(),
                        e.getMessage(), e);
            }
        }
        for (Job job : ledger.jobs().inState(JobState.SUBMITTED)) {
            if (moves.isInFlight(job.id())) {
                continue;
            }
            try {
                if (sourceFiles.resumeWaiting(job)) {
                    LOG.warn("repair: job {} ({}) was in processing/ but not waiting for its results; it waits now",
                            job.id(), job.fileName());
                    ledger.history().record(job.id(), null, "REPAIRED", "in " + job.location() + ", now waiting");
                    repaired++;
                }
            } catch (RuntimeException e) {
                LOG.error("repair of job {} ({}) failed, retried at the next pass: {}", job.id(), job.fileName(),
                        e.getMessage(), e);
            }
        }
        for (Job job : ledger.jobs().inState(JobState.PROCESSING)) {
            try {
                completion.tryFinish(job.id()); // does nothing unless every task has ended
                if (ledger.jobs().require(job.id()).state() != JobState.PROCESSING) {
                    LOG.warn("repair: job {} ({}) had every task ended but was not finished; finished now", job.id(),
                            job.fileName());
                    repaired++;
                }
            } catch (RuntimeException e) {
                LOG.error("repair of job {} ({}) failed, retried at the next pass: {}", job.id(), job.fileName(),
                        e.getMessage(), e);
            }
        }
        quarantine.forgetVanished();
        return repaired;
    }

    private boolean repair(Job job) {
        String movingTo = ledger.jobs().movingTo(job.id()).orElse(null);
        if (movingTo == null) {
            return false;
        }
        if (job.state() == JobState.COMPLETED || job.state() == JobState.FAILED) {
            LOG.warn("repair: job {} ({}) is {} but its files were not all in place; finishing them", job.id(),
                    job.fileName(), job.state());
            completion.finishFiles(job.id());
            return true;
        }
        Path target = Path.of(movingTo);
        if (!Files.exists(target)) {
            return false; // not moved: still in the inbox (the ingest resumes it) or gone
        }
        LOG.warn("repair: job {} ({}) was moved to {} but the move was not recorded; recording it", job.id(),
                job.fileName(), target);
        ledger.history().record(job.id(), null, "REPAIRED", "source found at " + target);
        sourceFiles.arrived(job.id(), Path.of(job.location()), target);
        return true;
    }
}
