package io.vmegcamel.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vmegcamel.storage.StorageLocation.Kind;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class StorageLocationTest {

    @Test
    void aPlainPathIsLocal() {
        StorageLocation l = parse("  inbox ");
        assertThat(l.kind()).isEqualTo(Kind.LOCAL);
        assertThat(l.local()).isEqualTo(Path.of("inbox"));
        assertThat(l.isRemote()).isFalse();
        assertThat(parse("/data/drop in").local()).isEqualTo(Path.of("/data/drop in"));
        assertThat(parse("C:/media").kind()).as("a drive letter is no scheme").isEqualTo(Kind.LOCAL);
    }

    @Test
    void s3BucketAndPrefix() {
        StorageLocation root = parse("s3://media-bucket");
        assertThat(root.kind()).isEqualTo(Kind.S3);
        assertThat(root.bucket()).isEqualTo("media-bucket");
        assertThat(root.folder()).isEmpty();
        assertThat(root.isRemote()).isTrue();
        assertThat(parse("s3://media-bucket/").folder()).isEmpty();
        assertThat(parse("s3://media-bucket/drop/inbox").folder()).isEqualTo("drop/inbox/");
        assertThat(parse("s3://media-bucket/drop/inbox/").folder()).isEqualTo("drop/inbox/");
        assertThat(parse("s3://b/mon dossier é/会议").folder()).isEqualTo("mon dossier é/会议/");
        assertThat(parse("s3://b/a%20b+c").folder()).as("percent-decoded, + kept").isEqualTo("a b+c/");
        assertThat(parse("s3://b/drop/inbox").toString()).isEqualTo("s3://b/drop/inbox/");
    }

    @Test
    void sftpUrlPathsAreAbsoluteAndTildeIsTheLoginDirectory() {
        StorageLocation abs = parse("sftp://media@files.example.com/srv/drop/inbox");
        assertThat(abs.kind()).isEqualTo(Kind.SFTP);
        assertThat(abs.user()).isEqualTo("media");
        assertThat(abs.host()).isEqualTo("files.example.com");
        assertThat(abs.port()).isEqualTo(22);
        assertThat(abs.folder()).isEqualTo("/srv/drop/inbox/");
        assertThat(abs.toString()).isEqualTo("sftp://media@files.example.com:22/srv/drop/inbox/");

        StorageLocation home = parse("sftp://media@127.0.0.1:2222/~/drop/inbox/");
        assertThat(home.port()).isEqualTo(2222);
        assertThat(home.folder()).isEqualTo("drop/inbox/");
        assertThat(home.toString()).isEqualTo("sftp://media@127.0.0.1:2222/~/drop/inbox/");

        assertThat(parse("sftp://media@h/~").folder()).as("the login directory itself").isEmpty();
        assertThat(parse("sftp://media@h/~/").folder()).isEmpty();
        assertThat(parse("sftp://media@h/").folder()).as("the server's root").isEqualTo("/");
        assertThat(parse("sftp://media@h/~/mon dossier é/会议").folder()).isEqualTo("mon dossier é/会议/");
        assertThat(parse("sftp://media@h/~/a%20b").folder()).isEqualTo("a b/");
    }

    @Test
    void camelsSftpFormIsRelativeUnlessItsPathStartsWithTwoSlashes() {
        StorageLocation relative = parse("sftp:media@127.0.0.1:2222/drop/inbox");
        assertThat(relative.kind()).isEqualTo(Kind.SFTP);
        assertThat(relative.port()).isEqualTo(2222);
        assertThat(relative.folder()).isEqualTo("drop/inbox/")
                .isEqualTo(parse("sftp://media@127.0.0.1:2222/~/drop/inbox").folder());

        StorageLocation absolute = parse("sftp:media@127.0.0.1//srv/drop/inbox");
        assertThat(absolute.port()).isEqualTo(22);
        assertThat(absolute.folder()).isEqualTo("/srv/drop/inbox/")
                .isEqualTo(parse("sftp://media@127.0.0.1/srv/drop/inbox").folder());
        assertThat(parse("sftp:media@h/mon dossier é").folder()).isEqualTo("mon dossier é/");
    }

    @Test
    void siblingPlacesLiveBesideTheInbox() {
        assertThat(parse("s3://b/drop/inbox").sibling(StorageLocation.FAILED)).isEqualTo("drop/failed/");
        assertThat(parse("s3://b/inbox").sibling(StorageLocation.ARCHIVE)).isEqualTo("archive/");
        assertThat(parse("s3://b").sibling(StorageLocation.PROCESSING)).as("inside a root inbox")
                .isEqualTo("processing/");
        assertThat(parse("sftp://u@h/srv/drop/inbox").sibling(StorageLocation.PROCESSING))
                .isEqualTo("/srv/drop/processing/");
        assertThat(parse("sftp://u@h/inbox").sibling(StorageLocation.HELD)).isEqualTo("/held/");
        assertThat(parse("sftp://u@h/").sibling(StorageLocation.FAILED)).isEqualTo("/failed/");
        assertThat(parse("sftp://u@h/~/drop/inbox").sibling(StorageLocation.ARCHIVE)).isEqualTo("drop/archive/");
        assertThat(parse("sftp:u@h/inbox").sibling(StorageLocation.FAILED)).isEqualTo("failed/");
        assertThat(parse("sftp://u@h/~").sibling(StorageLocation.FAILED)).isEqualTo("failed/");
    }

    @Test
    void mistakesAreNamedAndNoPasswordIsRepeated() {
        assertThatThrownBy(() -> parse(" ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("vmeg.inbox is empty");
        assertThatThrownBy(() -> parse(null)).hasMessageContaining("vmeg.inbox is empty");
        assertThatThrownBy(() -> parse("s3:///drop")).hasMessageContaining("no bucket");
        assertThatThrownBy(() -> parse("s3://")).hasMessageContaining("not a valid URL");
        assertThatThrownBy(() -> parse("ftp://u@h/in")).hasMessageContaining("unknown storage");
        assertThatThrownBy(() -> parse("sftp://h/in")).hasMessageContaining("sftp://user@host[:port]/path");
        assertThatThrownBy(() -> parse("sftp:h/in")).hasMessageContaining("sftp://user@host[:port]/path");
        assertThatThrownBy(() -> parse("sftp://u:hunter2@h/in")).hasMessageContaining("u:***@h")
                .hasMessageContaining("VMEG_SFTP_PASSWORD").hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> parse("sftp://u@h:99999999999/in")).isInstanceOf(IllegalArgumentException.class);
    }

    private static StorageLocation parse(String value) {
        return StorageLocation.parse("vmeg.inbox", value);
    }
}
