package org.handoff.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The packing of one SKU's location counts ({@code warehouse_stock.locations}) and the compare rule built on it. */
class LocationCountsTest {

    private static TreeMap<String, Long> counts(Object... locationAndCount) {
        TreeMap<String, Long> m = new TreeMap<>();
        for (int i = 0; i < locationAndCount.length; i += 2) {
            // as the snapshot handler groups a SKU's rows: the first count of a location wins
            m.putIfAbsent((String) locationAndCount[i], ((Number) locationAndCount[i + 1]).longValue());
        }
        return m;
    }

    private static String pack(Object... locationAndCount) {
        return LocationCounts.pack(counts(locationAndCount)).text();
    }

    @Test
    void locationsArePackedInCanonicalOrderWithTheirTotal() {
        LocationCounts.Packed packed = LocationCounts.pack(counts("B-01", 1, "A-02", 7, "A-01", 5));
        assertThat(packed.text()).isEqualTo("A-01=5;A-02=7;B-01=1");
        assertThat(packed.total()).isEqualTo(13);
        // the order the rows came in does not matter
        assertThat(pack("A-01", 5, "B-01", 1, "A-02", 7)).isEqualTo(packed.text());
    }

    @Test
    void aLocationAtZeroIsTheSameAsALocationNotListed() {
        assertThat(pack("A-01", 5, "A-02", 0)).isEqualTo(pack("A-01", 5));
        assertThat(LocationCounts.pack(counts("A-01", 0))).isEqualTo(LocationCounts.EMPTY);
        assertThat(LocationCounts.pack(counts())).isEqualTo(LocationCounts.EMPTY);
        assertThat(LocationCounts.unpack("")).isEmpty();
    }

    @Test
    void aLocationListedTwiceKeepsItsFirstCount() {
        assertThat(pack("A-01", 5, "A-02", 7, "A-01", 9)).isEqualTo("A-01=5;A-02=7");
    }

    @Test
    void anyChangedMovedMissingOrAddedCountChangesTheText() {
        String stored = pack("A-01", 5, "A-02", 7);
        assertThat(pack("A-01", 5, "A-02", 8)).isNotEqualTo(stored);
        assertThat(pack("A-01", 7, "A-02", 5)).isNotEqualTo(stored); // counts swapped between locations
        assertThat(pack("A-01", 5)).isNotEqualTo(stored);            // a location left out
        assertThat(pack("A-01", 5, "A-02", 7, "A-03", 1)).isNotEqualTo(stored);
        assertThat(pack("A-01", 57)).isNotEqualTo(pack("A-0", 157));
    }

    @Test
    void separatorsAndEscapesInsideLocationNamesCannotBeConfused() {
        // without escaping, {"A=1;B": 2} and {"A": 1, "B": 2} would both pack to "A=1;B=2"
        assertThat(pack("A=1;B", 2)).isEqualTo("A\\=1\\;B=2").isNotEqualTo(pack("A", 1, "B", 2));
        assertThat(pack("A\\", 1)).isEqualTo("A\\\\=1").isNotEqualTo(pack("A\\=1", 1));
        for (Map<String, Long> m : List.of(counts("A=1;B", 2L), counts("A", 1L, "B", 2L), counts("x\\", 3L, ";", 4L),
                counts("=", 1L, "\\;", 2L, "\\\\", 3L), counts("é ü,\"'\n\t", 5L), counts("", 6L))) {
            assertThat(LocationCounts.unpack(LocationCounts.pack(new TreeMap<>(m)).text())).isEqualTo(m);
        }
    }

    @Test
    void randomNamesRoundTripAndDistinctCountsNeverShareAText() {
        Random random = new Random(7);
        String alphabet = "A-0;=\\,é ";
        Map<String, TreeMap<String, Long>> byText = new java.util.HashMap<>();
        for (int n = 0; n < 20_000; n++) {
            TreeMap<String, Long> m = new TreeMap<>();
            int locations = random.nextInt(4);
            for (int l = 0; l < locations; l++) {
                StringBuilder name = new StringBuilder();
                int length = 1 + random.nextInt(4);
                for (int i = 0; i < length; i++) {
                    name.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                m.put(name.toString(), 1L + random.nextInt(30));
            }
            String text = LocationCounts.pack(m).text();
            assertThat(LocationCounts.unpack(text)).isEqualTo(m);
            TreeMap<String, Long> other = byText.putIfAbsent(text, m);
            assertThat(other == null || other.equals(m)).as(text).isTrue();
        }
    }

    @Test
    void theTextDoesNotDependOnInsertionOrder() {
        List<String> names = new ArrayList<>(List.of("A-10", "A-9", "a-1", "B;1", "B=1", "B\\1", "Z", "_"));
        String expected = null;
        for (long seed = 0; seed < 20; seed++) {
            Collections.shuffle(names, new Random(seed));
            TreeMap<String, Long> m = new TreeMap<>();
            names.forEach(name -> m.put(name, (long) name.length()));
            String text = LocationCounts.pack(m).text();
            if (expected == null) {
                expected = text;
            }
            assertThat(text).isEqualTo(expected);
        }
    }

    @Test
    void countsListedRowByRowPackTheSameInAnyOrderWithTheFirstCountWinning() {
        LocationCounts.Listed inOrder = new LocationCounts.Listed().add("A-01", 5).add("A-02", 0).add("A=3", 2);
        LocationCounts.Listed shuffled = new LocationCounts.Listed().add("A=3", 2).add("A-01", 5).add("A-02", 0);
        LocationCounts.Listed repeated = new LocationCounts.Listed().add("A-01", 5).add("A=3", 2).add("A-01", 9)
                .add("A-02", 0).add("A-02", 4);
        LocationCounts.Packed expected = LocationCounts.pack(counts("A-01", 5, "A=3", 2));
        assertThat(inOrder.pack()).isEqualTo(expected);
        assertThat(shuffled.pack()).isEqualTo(expected);
        assertThat(repeated.pack()).isEqualTo(expected);
        assertThat(expected.text()).isEqualTo("A-01=5;A\\=3=2");
        LocationCounts.Listed many = new LocationCounts.Listed();
        TreeMap<String, Long> m = new TreeMap<>();
        for (int i = 0; i < 40; i++) {
            many.add(String.format("L-%02d", i), i);
            m.put(String.format("L-%02d", i), (long) i);
        }
        assertThat(many.pack()).isEqualTo(LocationCounts.pack(m));
        assertThat(new LocationCounts.Listed().add("A", 0).pack()).isEqualTo(LocationCounts.EMPTY);
    }

    @Test
    void aTextPackNeverMakesIsRefused() {
        for (String bad : List.of("A", "A=", "A=x", "A=1;", ";A=1", "A=1;;B=2", "A=1;A=2", "A\\", "A;B=1")) {
            assertThatThrownBy(() -> LocationCounts.unpack(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void countsMustBeInTheNaturalOrder() {
        assertThatThrownBy(() -> LocationCounts.pack(new TreeMap<>(java.util.Comparator.<String>reverseOrder())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aListedSetPacksToATextExactlyWhenItsPackedTextIsThatText() {
        Random random = new Random(11);
        String[] names = {"A-01", "A-02", "B-01", "a=b", "x;y", "back\\slash", "", "A-01 ", "Z"};
        List<String> texts = new ArrayList<>(List.of("", "A-01=5", "A-01=05", "A-01=+5", "A-01=5;", ";A-01=5", "A-01=5;;B-01=1",
                "A-01=", "=5", "A-01=5;B-01=1", "A-01=50", "A-01=-5", "a\\=b=1", "a=b=1", "x\\;y=2", "back\\\\slash=3"));
        List<LocationCounts.Listed> listed = new ArrayList<>();
        for (int round = 0; round < 400; round++) {
            LocationCounts.Listed l = new LocationCounts.Listed();
            List<String> pool = new ArrayList<>(List.of(names));
            if (random.nextBoolean()) {
                Collections.sort(pool); // mostly listed in order, as WMS exports come
            } else {
                Collections.shuffle(pool, random);
            }
            int size = random.nextInt(5);
            for (int k = 0; k < size; k++) {
                long count = random.nextInt(4) == 0 ? 0 : random.nextInt(3) == 0 ? random.nextInt(100_000) : random.nextInt(12);
                l.add(pool.get(k), count);
            }
            listed.add(l);
            String text = l.pack().text();
            texts.add(text);
            if (!text.isEmpty()) {
                texts.add(text.substring(0, text.length() - 1));
                texts.add(text + "0");
                texts.add(text + ";");
                texts.add(text.replace("=", "=0"));
            }
        }
        for (LocationCounts.Listed l : listed) {
            String packed = l.pack().text();
            assertThat(l.packsTo(packed)).isTrue();
            for (String text : texts) {
                assertThat(l.packsTo(text)).as("%s vs %s", packed, text).isEqualTo(packed.equals(text));
            }
        }
    }
}
