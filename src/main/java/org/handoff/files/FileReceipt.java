package org.handoff.files;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.handoff.api.Json;

/** One row of file_receipts, as GET /api/files shows it. */
public record FileReceipt(long receiptId, String kind, String name, String checksum, String status,
                          String reasonCode, String detail, long rowsRead, long rowsApplied, long rowsHeld,
                          Long duplicateOf, Long holdId, Instant receivedAt, Instant finishedAt) {

    public Map<String, Object> view() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("receiptId", receiptId);
        m.put("kind", kind);
        m.put("name", name);
        m.put("checksum", checksum);
        m.put("status", status);
        m.put("reasonCode", reasonCode);
        m.put("detail", detail);
        m.put("rowsRead", rowsRead);
        m.put("rowsApplied", rowsApplied);
        m.put("rowsHeld", rowsHeld);
        m.put("duplicateOf", duplicateOf);
        m.put("holdId", holdId);
        m.put("receivedAt", Json.time(receivedAt));
        m.put("finishedAt", Json.time(finishedAt));
        return m;
    }
}
