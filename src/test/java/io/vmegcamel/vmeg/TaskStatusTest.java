package io.vmegcamel.vmeg;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TaskStatusTest {

    @ParameterizedTest
    @ValueSource(strings = {"finished", "complete", "completed", "success", "succeeded", "COMPLETE", " Finished "})
    void wordsForDoneAreFinished(String word) {
        assertThat(TaskStatus.of(word)).isEqualTo(TaskStatus.FINISHED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"failed", "failure", "fail", "error", "errored", "cancelled", "canceled", "aborted",
            "timeout", "timed_out", "FAILED"})
    void wordsForAnEndWithoutResultAreFailed(String word) {
        assertThat(TaskStatus.of(word)).isEqualTo(TaskStatus.FAILED);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"running", "queued", "pending", "processing", "in_progress", "partially_completed", "done?"})
    void anythingElseIsStillRunning(String word) {
        assertThat(TaskStatus.of(word)).isEqualTo(TaskStatus.RUNNING);
    }
}
