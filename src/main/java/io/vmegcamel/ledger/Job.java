package io.vmegcamel.ledger;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/** A row of the {@code job} table. */
public record Job(
        String id,
        String fileName,
        String outputName,
        String location,
        long sizeBytes,
        String contentMd5,
        String mediaKind,
        String specJson,
        String specSource,
        String specHash,
        String materialId,
        JobState state,
        String errorJson,
        Instant createdAt,
        Instant updatedAt) {

    static Job map(ResultSet rs) throws SQLException {
        return new Job(rs.getString("id"), rs.getString("file_name"), rs.getString("output_name"),
                rs.getString("location"), rs.getLong("size_bytes"), rs.getString("content_md5"),
                rs.getString("media_kind"), rs.getString("spec_json"), rs.getString("spec_source"),
                rs.getString("spec_hash"), rs.getString("material_id"), JobState.valueOf(rs.getString("state")),
                rs.getString("error_json"), Jdbc.instant(rs, "created_at"), Jdbc.instant(rs, "updated_at"));
    }
}
