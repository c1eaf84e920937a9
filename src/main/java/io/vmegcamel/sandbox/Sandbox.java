package io.vmegcamel.sandbox;

import io.vertx.core.Vertx;

/** Shared state of one sandbox instance, handed to the endpoint classes. */
final class Sandbox {

    final SandboxConfig config;
    final Vertx vertx;
    final Languages languages = Languages.load();
    final ObjectStore store;
    final UrlSigner signer;
    final MaterialStore materials = new MaterialStore(this::changed);
    final TaskStore tasks = new TaskStore(this::changed);
    final VoiceStore voices = new VoiceStore(this::changed);
    final Idempotency idempotency;
    final Credits credits;
    final FaultRules faultRules;
    final WebhookSender webhooks;
    final TaskRunner runner;
    final SandboxState state;
    volatile String baseUrl = "http://127.0.0.1:0";
    /** Set when the sandbox stops: running tasks are left running (they end after a restart), not failed. */
    volatile boolean closing;

    /** Builds the sandbox and loads the state saved in the data dir, if any; {@link #resume()} sets it going. */
    Sandbox(SandboxConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
        this.store = new ObjectStore(config.dataDir(), MultipartApi.partSize(config), this::changed);
        this.signer = new UrlSigner(() -> baseUrl);
        this.idempotency = new Idempotency(config.idempotencyTtl(), this::changed);
        this.credits = new Credits(config.credits(), this::changed);
        this.faultRules = FaultRules.parse(config.failTaskWhen());
        this.webhooks = new WebhookSender(config, this::changed);
        this.runner = new TaskRunner(this);
        this.state = new SandboxState(this);
    }

    /** Once listening (so that results render with the real base URL): saves from now on, resumes saved work. */
    void resume() {
        state.resume();
    }

    /** Something that belongs to the saved state changed. */
    void changed() {
        SandboxState st = state;
        if (st != null) { // null only while the constructor runs
            st.changed();
        }
    }
}
