package org.handoff.mapping;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The integrators' mapping files (DESIGN §6), read from {@code mappings/} and re-read when they change
 * (the mappings-reload route calls {@link #reloadIfChanged()} on a timer). A file that does not parse is
 * rejected whole, logged and shown in health; the previous version stays in force.
 */
public final class Mappings {

    private static final Logger LOG = LoggerFactory.getLogger(Mappings.class);

    public static final String SKU_ALIASES = "sku-aliases.csv";
    public static final String CHANNEL_SKUS = "channel-skus.csv";
    public static final String CHANNELS = "channels.yaml";
    public static final String CARRIERS = "carriers.yaml";

    @FunctionalInterface
    private interface Parser<T> {
        T parse(String content, String file) throws MappingException;
    }

    /** One mapping file: its parsed value in force, and what was last seen on disk. */
    private static final class Slot<T> {
        final String name;
        final Parser<T> parser;
        volatile T value;
        volatile String loadedContent;
        volatile String rejected;
        volatile String rejectedContent;
        /** The file was in force and has been deleted since: what it said stays in force until it is back. */
        volatile boolean missing;

        String rejectedContent() {
            return rejectedContent;
        }

        Slot(String name, T empty, Parser<T> parser) {
            this.name = name;
            this.value = empty;
            this.parser = parser;
        }
    }

    private final Path dir;
    private final Slot<SkuAliases> aliases = new Slot<>(SKU_ALIASES, SkuAliases.empty(),
            (c, f) -> SkuAliases.parse(new StringReader(c), f));
    private final Slot<ChannelSkus> channelSkus = new Slot<>(CHANNEL_SKUS, ChannelSkus.empty(),
            (c, f) -> ChannelSkus.parse(new StringReader(c), f));
    private final Slot<ChannelSettings> channels = new Slot<>(CHANNELS, ChannelSettings.empty(),
            (c, f) -> ChannelSettings.parse(new StringReader(c), f));
    private final Slot<CarrierRules> carriers = new Slot<>(CARRIERS, CarrierRules.empty(),
            (c, f) -> CarrierRules.parse(new StringReader(c), f));
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    public Mappings(Path dir) {
        this.dir = dir;
        reloadIfChanged();
    }

    // ---- lookups -------------------------------------------------------------------------------

    /** DESIGN §6 alias windows: the code in force at {@code at} (itself when no alias applies). */
    public SkuResolution resolveSku(String code, Instant at) {
        return aliases.value.resolve(code, at);
    }

    /** Whether some alias of sku-aliases.csv leads to this code (any window): only then can an older code be it. */
    public boolean isAliasTarget(String sku) {
        return aliases.value.isNewCode(sku);
    }

    /** A channel's SKU or variant id to the master SKU, when {@code channel-skus.csv} maps it. */
    public Optional<String> channelSku(String channel, String channelSkuOrVariantId) {
        return channelSkus.value.lookup(channel, channelSkuOrVariantId);
    }

    public int safetyStock(String channel, String sku) {
        return channels.value.safetyStock(channel, sku);
    }

    /** The channels that are told available-to-sell, in file order. */
    public List<String> channels() {
        return channels.value.channels();
    }

    /** Where the channel's ATS pushes go; empty means the outbox folder {@code data/outbox/ats/<channel>/}. */
    public Optional<String> atsPushUrl(String channel) {
        return channels.value.atsPushUrl(channel);
    }

    /** The header a push to the channel carries its credential in (channels.yaml's atsPushAuthHeader). */
    public String atsPushAuthHeader(String channel) {
        return channels.value.atsPushAuthHeader(channel);
    }

    public boolean phoneMandatory(String carrierOrShippingMethod) {
        return carriers.value.find(carrierOrShippingMethod).map(CarrierRules.Carrier::phoneRequired).orElse(false);
    }

    public Optional<Duration> silenceCutoff(String carrierOrShippingMethod) {
        return carriers.value.find(carrierOrShippingMethod).map(CarrierRules.Carrier::silenceCutoff);
    }

    public Optional<CarrierRules.Carrier> carrier(String carrierOrShippingMethod) {
        return carriers.value.find(carrierOrShippingMethod);
    }

    /** Called after any mapping file changed and was accepted (e.g. safety stock: recompute ATS). */
    public void onChange(Runnable listener) {
        listeners.add(listener);
    }

    // ---- reload --------------------------------------------------------------------------------

    /** Re-reads every file whose content changed; returns true when anything new came into force. */
    public synchronized boolean reloadIfChanged() {
        boolean changed = reload(aliases) | reload(channelSkus) | reload(channels) | reload(carriers);
        if (changed) {
            for (Runnable listener : listeners) {
                try {
                    listener.run();
                } catch (RuntimeException e) {
                    LOG.warn("mapping change listener failed: {}", e.getMessage());
                }
            }
        }
        return changed;
    }

    private <T> boolean reload(Slot<T> slot) {
        Path file = dir.resolve(slot.name);
        boolean exists = Files.exists(file);
        if (!exists && slot.loadedContent != null && !slot.loadedContent.isBlank()) {
            // deleted while in force (a slip, a deploy that swaps the folder): not an edit that empties it; an empty
            // file (or only the CSV header) is how a mapping is cleared on purpose
            if (!slot.missing) {
                slot.missing = true;
                LOG.warn("mappings: {} was deleted; the version in force stays until the file is back (an empty "
                        + "file clears it)", slot.name);
            }
            return false;
        }
        String content;
        try {
            content = exists ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            slot.rejected = "cannot read: " + e.getMessage();
            slot.rejectedContent = null;
            return false;
        }
        slot.missing = false;
        if (content.equals(slot.loadedContent)) {
            if (slot.rejected != null) {
                // put back as it is in force (a broken edit reverted): nothing is rejected any more
                slot.rejected = null;
                slot.rejectedContent = null;
                LOG.info("mappings: {} is back to the version in force", slot.name);
            }
            return false;
        }
        if (content.equals(slot.rejectedContent())) {
            return false;
        }
        try {
            T parsed = content.isBlank() ? emptyOf(slot) : slot.parser.parse(content, slot.name);
            // the first load of the hub's start; a file rejected then and fixed since is a change (what was in force
            // was nothing), so its listeners run: the ATS of a channels.yaml fixed after the start goes out
            boolean first = slot.loadedContent == null && slot.rejectedContent == null;
            slot.value = parsed;
            slot.loadedContent = content;
            slot.rejected = null;
            slot.rejectedContent = null;
            LOG.info("mappings: {} {}", slot.name, first ? "loaded" : "reloaded");
            return !first;
        } catch (MappingException | RuntimeException e) {
            // a parser's own failure (an empty YAML value, a CSV header with an empty column) is a file that does not
            // parse too: rejected like one, not thrown out of the reload (the files after it would not reload)
            String why = e instanceof MappingException ? e.getMessage()
                    : "cannot be read (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
            slot.rejected = why;
            slot.rejectedContent = content;
            LOG.warn("mappings: {} rejected, the previous version stays in force: {}", slot.name, why);
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    private <T> T emptyOf(Slot<T> slot) throws MappingException {
        return slot.parser.parse(slot.name.endsWith(".csv") ? headerOnly(slot.name) : emptyYaml(slot.name), slot.name);
    }

    private static String headerOnly(String name) {
        return String.join(",", name.equals(SKU_ALIASES) ? SkuAliases.HEADER : ChannelSkus.HEADER) + "\n";
    }

    private static String emptyYaml(String name) {
        return name.equals(CHANNELS) ? "channels: {}\n" : "carriers: {}\n";
    }

    /** Files rejected at the last reload, with why (for health and the start-up log). */
    public Map<String, String> rejected() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Slot<?> slot : List.of(aliases, channelSkus, channels, carriers)) {
            if (slot.missing) {
                out.put(slot.name, "deleted; the version in force stays until the file is back (an empty file clears it)");
            } else if (slot.rejected != null) {
                out.put(slot.name, slot.rejected);
            }
        }
        return out;
    }

    /** Every problem in the mapping files of {@code dir}, for {@code handoff.jar check}. */
    public static List<String> problems(Path dir) {
        List<String> problems = new ArrayList<>();
        Mappings probe = new Mappings(dir);
        // every message starts with the file's name (and line): put the folder in front
        probe.rejected().values().forEach(why -> problems.add(dir.resolve(why).toString().startsWith(dir.toString())
                ? dir + java.io.File.separator + why : why));
        return problems;
    }
}
