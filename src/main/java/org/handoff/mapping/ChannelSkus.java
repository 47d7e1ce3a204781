package org.handoff.mapping;

import java.io.Reader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVRecord;

/** {@code channel-skus.csv}: {@code channel,channel_sku,sku} — a channel's variant code (or variant id) to the master SKU. */
public final class ChannelSkus {

    static final List<String> HEADER = List.of("channel", "channel_sku", "sku");

    private final Map<String, String> byChannelAndCode;

    private ChannelSkus(Map<String, String> map) {
        this.byChannelAndCode = map;
    }

    public static ChannelSkus empty() {
        return new ChannelSkus(Map.of());
    }

    public static ChannelSkus parse(Reader reader, String file) throws MappingException {
        Map<String, String> map = new HashMap<>();
        for (CSVRecord row : MappingCsv.read(reader, file, HEADER)) {
            String where = file + ":" + (row.getRecordNumber() + 1);
            String key = key(MappingCsv.required(row, "channel", where), MappingCsv.required(row, "channel_sku", where));
            String sku = MappingCsv.sku(row, "sku", where);
            String previous = map.put(key, sku);
            if (previous != null && !previous.equals(sku)) {
                throw new MappingException(where + ": " + key + " is mapped twice (" + previous + ", " + sku + ")");
            }
        }
        return new ChannelSkus(map);
    }

    public Optional<String> lookup(String channel, String channelSkuOrVariantId) {
        if (channel == null || channelSkuOrVariantId == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(byChannelAndCode.get(key(channel, channelSkuOrVariantId)));
    }

    private static String key(String channel, String code) {
        return channel.toLowerCase(java.util.Locale.ROOT) + "\u0000" + code;
    }

    public int size() {
        return byChannelAndCode.size();
    }
}
