package io.vmegcamel.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmegcamel.vmeg.VmegException;
import java.util.List;
import org.junit.jupiter.api.Test;

class DownloadPolicyTest {

    private static final String SIGNED = "https://cdn.vmeg.ai/r/t_1/dubbed.mp4?Expires=1767225600&Signature=a%2Fb%3D%3D";

    private final DownloadPolicy https = new DownloadPolicy("https://api.vmeg.ai", List.of(), 0, 5);
    private final DownloadPolicy sandbox = new DownloadPolicy("http://127.0.0.1:8089", List.of(), 0, 5);

    @Test
    void httpsLinksPassUnchanged() {
        assertThat(https.check(SIGNED)).isSameAs(SIGNED);
    }

    @Test
    void plainHttpIsRefusedWhenVmegIsReachedOverHttps() {
        assertThatThrownBy(() -> https.check("http://cdn.vmeg.ai/r/t_1/dubbed.mp4?Signature=s"))
                .isInstanceOf(DownloadRefusedException.class)
                .hasMessage("result link http://cdn.vmeg.ai/r/t_1/dubbed.mp4 refused: plain http, but results are "
                        + "downloaded over https only (plain http only when vmeg.base-url is http itself)");
    }

    @Test
    void plainHttpIsAllowedWhenVmegItselfIsHttp() {
        String url = "http://127.0.0.1:8089/cdn/deliverables/t_1/dubbed.mp4?Expires=1&Signature=s";
        assertThat(sandbox.check(url)).isEqualTo(url);
    }

    @Test
    void otherSchemesAreRefusedEvenAgainstAnHttpVmeg() {
        assertThatThrownBy(() -> sandbox.check("ftp://cdn.vmeg.ai/dubbed.mp4"))
                .isInstanceOf(DownloadRefusedException.class)
                .hasMessage("result link ftp://cdn.vmeg.ai/dubbed.mp4 refused: scheme 'ftp', only https is allowed");
        assertThatThrownBy(() -> sandbox.check("file:///etc/passwd"))
                .isInstanceOf(DownloadRefusedException.class).hasMessageContaining("scheme 'file'");
    }

    @Test
    void theAllowlistTakesHostsAndDomains() {
        DownloadPolicy listed = new DownloadPolicy("https://api.vmeg.ai", List.of("cdn.vmeg.ai", "*.cloudfront.net"),
                0, 5);
        assertThat(listed.check(SIGNED)).isEqualTo(SIGNED);
        assertThat(listed.check("https://d1.cloudfront.net/x.mp4")).isEqualTo("https://d1.cloudfront.net/x.mp4");
        assertThatThrownBy(() -> listed.check("https://evil.example/x.mp4?Signature=secret"))
                .isInstanceOf(DownloadRefusedException.class)
                .hasMessage("result link https://evil.example/x.mp4 refused: host evil.example is not in "
                        + "vmeg.download.allowed-hosts (cdn.vmeg.ai,*.cloudfront.net)");
        assertThatThrownBy(() -> listed.check("https://cloudfront.net.evil.example/x.mp4"))
                .isInstanceOf(DownloadRefusedException.class);
    }

    @Test
    void aLinkCamelWouldAlterIsRefusedNotSentAltered() {
        assertThatThrownBy(() -> https.check("https://cdn.vmeg.ai/a b.mp4"))
                .isInstanceOf(DownloadRefusedException.class).hasMessageContaining("not a valid URL");
        assertThatThrownBy(() -> https.check("https://cdn.vmeg.ai/a.mp4?x=^"))
                .isInstanceOf(DownloadRefusedException.class);
    }

    @Test
    void redirectsAreResolvedCheckedAndCounted() {
        assertThat(https.redirect(SIGNED, 302, "https://cdn2.vmeg.ai/x.mp4?Signature=2", 0))
                .isEqualTo("https://cdn2.vmeg.ai/x.mp4?Signature=2");
        assertThat(https.redirect(SIGNED, 301, "/other/x.mp4?Signature=3", 4))
                .isEqualTo("https://cdn.vmeg.ai/other/x.mp4?Signature=3");
        assertThatThrownBy(() -> https.redirect(SIGNED, 302, "http://cdn.vmeg.ai/x.mp4", 0))
                .isInstanceOf(DownloadRefusedException.class).hasMessageContaining("plain http");
        assertThatThrownBy(() -> https.redirect(SIGNED, 302, "https://cdn2.vmeg.ai/x.mp4", 5))
                .isInstanceOf(VmegException.class)
                .hasMessage("VMEG GET cdn.vmeg.ai/r/t_1/dubbed.mp4: HTTP 302, code 302, \"more than 5 redirects "
                        + "(vmeg.download.max-redirects): the CDN keeps redirecting\"");
        assertThatThrownBy(() -> https.redirect(SIGNED, 302, null, 0))
                .isInstanceOf(VmegException.class).hasMessageContaining("redirect without a Location");
    }

    @Test
    void anAnnouncedSizeOverTheCapIsRefused() {
        DownloadPolicy capped = new DownloadPolicy("https://api.vmeg.ai", List.of(), 1000, 5);
        capped.checkSize(1000, "video");
        capped.checkSize(0, "video"); // not announced: checked while streaming
        assertThatThrownBy(() -> capped.checkSize(1001, "video of task x"))
                .isInstanceOf(DownloadRefusedException.class)
                .hasMessage("video of task x refused: 1001 bytes announced, more than vmeg.download.max-bytes (1000)");
        https.checkSize(Long.MAX_VALUE, "video"); // no cap
    }
}
