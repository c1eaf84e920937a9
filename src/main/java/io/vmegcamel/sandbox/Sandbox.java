package io.vmegcamel.sandbox;

import io.vertx.core.Vertx;

/** Shared state of one sandbox instance, handed to the endpoint classes. */
final class Sandbox {

    final SandboxConfig config;
    final Vertx vertx;
    final Languages languages = Languages.load();
    final ObjectStore store;
    final UrlSigner signer;
    final MaterialStore materials = new MaterialStore();
    final TaskStore tasks = new TaskStore();
    final VoiceStore voices = new VoiceStore();
    final Credits credits;
    final FaultRules faultRules;
    final WebhookSender webhooks;
    final TaskRunner runner;
    volatile String baseUrl = "http://127.0.0.1:0";

    Sandbox(SandboxConfig config, Vertx vertx) {
        this.config = config;
        this.vertx = vertx;
        this.store = new ObjectStore(config.dataDir());
        this.signer = new UrlSigner(() -> baseUrl);
        this.credits = new Credits(config.credits());
        this.faultRules = FaultRules.parse(config.failTaskWhen());
        this.webhooks = new WebhookSender(config);
        this.runner = new TaskRunner(this);
    }
}
