package io.vmegcamel.app;

import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The warning logged once the bundle has started against its built-in sandbox (after Camel's own start-up
 * lines, so it is the last thing on screen), so that nobody mistakes it for production.
 */
final class SandboxBanner implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(SandboxBanner.class);

    private final String sandboxUrl;

    SandboxBanner(String sandboxUrl) {
        this.sandboxUrl = sandboxUrl;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // too early: the routes are not running yet
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        LOG.warn(text(sandboxUrl));
    }

    static String text(String sandboxUrl) {
        List<String> lines = List.of(
                "VMEG SANDBOX MODE: this bundle is NOT talking to the real VMEG.",
                "The built-in sandbox at " + sandboxUrl + " plays VMEG's part: no real VMEG account",
                "is used, nothing is really dubbed (a \"dubbed\" file is a copy of its source) and no",
                "credits are spent.",
                "To use the real VMEG: VMEG_SANDBOX=false VMEG_API_KEY=... VMEG_WEBHOOK_SECRET=...",
                "VMEG_PUBLIC_URL=https://... (or start with -profile prod).");
        int width = lines.stream().mapToInt(String::length).max().orElse(0);
        String rule = "*".repeat(width + 4);
        StringBuilder out = new StringBuilder("\n").append(rule).append('\n');
        lines.forEach(l -> out.append("* ").append(l).append(" ".repeat(width - l.length())).append(" *\n"));
        return out.append(rule).toString();
    }
}
