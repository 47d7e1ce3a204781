package org.handoff.files;

import java.util.Map;
import org.apache.camel.Exchange;
import org.handoff.api.ApiException;
import org.handoff.api.HttpReplies;
import org.handoff.holds.HoldsApi;

/** GET /api/files?kind=K&status=S&limit=N: file receipts, newest first. */
public final class FilesApi {

    private static final java.util.List<String> STATUSES = java.util.List.of(FileReceipts.PROCESSING, FileReceipts.APPLIED,
            FileReceipts.REJECTED, FileReceipts.DUPLICATE);

    private final FileIntake intake;

    public FilesApi(FileIntake intake) {
        this.intake = intake;
    }

    public void list(Exchange exchange) {
        String kind = HoldsApi.param(exchange, "kind");
        if (kind != null && intake.kind(kind).isEmpty()) {
            throw ApiException.badRequest("unknown kind '" + kind + "'");
        }
        String status = HoldsApi.param(exchange, "status");
        if (status != null && !STATUSES.contains(status)) {
            // a typo ("failed" for rejected) would otherwise read as "no such files"
            throw ApiException.badRequest("status must be one of " + STATUSES);
        }
        int limit = HoldsApi.intParam(exchange, "limit", 100);
        var files = intake.receipts().list(kind, status, limit).stream().map(FileReceipt::view).toList();
        HttpReplies.json(exchange, 200, Map.of("files", files));
    }
}
