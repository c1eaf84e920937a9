package io.vmegcamel.ingest;

import io.vmegcamel.delivery.FileNames;
import io.vmegcamel.ledger.Ledger;
import io.vmegcamel.storage.SpoolMarker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Moves of a job's source file, made crash-safe: the target is recorded in the ledger ({@code job.moving_to})
 * before the file moves, and cleared once everything that goes with the move is done. A move found recorded but
 * unconfirmed after a crash is finished by {@link Repair}; moves this process is making right now are known here,
 * so the periodic repair leaves them alone. Targets never overwrite a file, its sidecar or its error report, nor a
 * target another job has recorded.
 */
public final class SourceMoves {

    private final Ledger ledger;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    public SourceMoves(Ledger ledger) {
        this.ledger = ledger;
    }

    /** A free target for job {@code jobId}'s (may be null) file {@code name} in {@code dir}. */
    public Path target(Path dir, String name, String jobId) {
        return FileNames.uniqueTarget(dir, name, p -> ledger.jobs().isMoveTargetOfAnother(p.toString(), jobId));
    }

    /** Records the intent (commit before the move) and marks the job as being moved by this process. */
    public void begin(String jobId, Path target) {
        inFlight.add(jobId);
        ledger.jobs().setMovingTo(jobId, target.toString());
    }

    /** This process no longer works on the job's move (done, or left to the repair). */
    public void end(String jobId) {
        inFlight.remove(jobId);
    }

    public boolean isInFlight(String jobId) {
        return inFlight.contains(jobId);
    }

    /**
     * Brings the file (if still at {@code from}) and its sidecar and spool marker (if still next to {@code from}) to
     * {@code target}.
     * Idempotent: a step already done is skipped, so the repair can call it again.
     */
    public static void moveWithSidecar(Path from, Path target) {
        if (Files.exists(from) && !from.equals(target)) {
            move(from, target);
        }
        Path sidecar = JobSpecs.sidecarOf(from);
        if (Files.isRegularFile(sidecar) && !sidecar.equals(JobSpecs.sidecarOf(target))) {
            move(sidecar, JobSpecs.sidecarOf(target));
        }
        // last: a spooled copy of a remote object is followed by its marker (RemoteFollower acts once it is here)
        Path marker = SpoolMarker.of(from);
        if (Files.isRegularFile(marker) && !marker.equals(SpoolMarker.of(target))) {
            move(marker, SpoolMarker.of(target));
        }
    }

    /** A source leaving the place where its error report was written takes the stale report away. */
    public static void deleteReportOf(Path from, Path to) {
        if (!from.equals(to)) {
            try {
                Files.deleteIfExists(from.resolveSibling(from.getFileName() + ".error.json"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the old error report of " + from + ": " + e.getMessage(), e);
            }
        }
    }

    static void move(Path from, Path to) {
        try {
            Files.createDirectories(to.getParent());
            Files.move(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }
}
