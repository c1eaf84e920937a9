package io.vmegcamel.sandbox;

/**
 * One webhook delivery attempt.
 *
 * @param attempt   1-based, counted per pipelineKey (duplicates continue the count)
 * @param status    HTTP status of the receiver, -1 for a timeout or connection error
 * @param timestamp the {@code X-Timestamp} value sent
 * @param signature the {@code X-Signature} value sent
 * @param body      the exact bytes sent
 */
public record WebhookAttempt(String pipelineKey, String event, String taskId, int attempt, int status,
                             String timestamp, String signature, byte[] body) {
}
