/**
 * A strict in-process emulation of the VMEG Open API (see {@code docs/vmeg-contract.md}) for tests and local runs.
 * Entry points: {@link io.vmegcamel.sandbox.SandboxServer#start(SandboxConfig)} and
 * {@link io.vmegcamel.sandbox.SandboxMain}. Depends only on Vert.x, Jackson, the JDK and slf4j.
 *
 * <p>Routes on one port: {@code /openapi/v1/**} (the API), {@code PUT /storage/<key>?X-Amz-...} (presigned object
 * storage) and {@code GET|HEAD /cdn/<path>?Expires=..&Signature=..} (signed, expiring downloads).
 *
 * <p>Durable like the real VMEG: the state (materials, uploads in progress, tasks, idempotency keys, credits, cloned
 * voices, unacknowledged webhooks) is saved in {@code <dataDir>/state.json} and loaded by the next start on the same
 * data dir, which ends the running tasks at their due time and delivers the pending webhooks again; see
 * {@link io.vmegcamel.sandbox.SandboxState}. A clean stop loses nothing, a hard kill at most the last moments.
 *
 * <p>Fault modes for tests, all on {@link io.vmegcamel.sandbox.SandboxServer} and none of them saved across a
 * restart: {@code injectFault} (the next N matching calls answer an error envelope before processing; key not
 * consumed), {@code injectAfter} (the next N matching calls are processed as usual, key consumed and task or
 * material created, and only the answer is replaced: any status and body, a dropped connection or no answer at
 * all), {@code setApiKeyRevoked} (every API call answers 401), {@code setDownloadFault} (CDN GETs stall or are cut
 * off after N bytes, or are redirected N times per object to another signed URL) and {@code setCredits}. Config
 * modes on {@link io.vmegcamel.sandbox.SandboxConfig}: {@code webhooksEnabled} (false = no webhooks, clients must
 * poll), {@code finishedStatusWord} (the word tasks/detail and tasks/list report for finished tasks, e.g.
 * {@code complete}; webhooks and the saved state keep {@code finished}), {@code webhookOmit} ({@code pipelineKey}
 * and/or {@code event} left out of webhook bodies; the signature covers the body as sent).
 *
 * <p>STRICT readings where the docs are silent (a client that passes here also passes the lenient reading):
 * <ul>
 *   <li>A multipart part's ETag is opaque: its CRC-32C and length in 32 hex digits, not its MD5 (S3's part ETags
 *       are not MD5s under SSE-KMS either); only the whole object's MD5 is checked, against {@code fileHash}.</li>
 *   <li>An idempotency key is consumed once its header passes the checks, even if the body is then rejected;
 *       reuse is always 409 (no replay). Injected faults and 401/413 do not consume it.</li>
 *   <li>Unknown fields are rejected everywhere except {@code extraData} and {@code options.text}; JSON null is
 *       never "absent"; no type coercion; unknown query parameters (other than {@code req_id}) are rejected.</li>
 *   <li>Presigned URLs must be used byte for byte: the signature covers the raw query as issued. Sending an
 *       {@code Authorization} header to storage is a 400; a registered object cannot be overwritten (403).</li>
 *   <li>complete/presign/abort must repeat materialId, fileHash and fileName exactly as issued.</li>
 *   <li>Voice clone requires voiceName, provider, refAudio and sampleLanguage; selectedVoicesList entries require
 *       both voiceId and provider; TTS lines need exactly one of voiceId / timbreRefAudio.</li>
 *   <li>Page sizes are capped at 100; lip sync costs +60 credits/min; failed tasks are refunded.</li>
 * </ul>
 */
package io.vmegcamel.sandbox;
