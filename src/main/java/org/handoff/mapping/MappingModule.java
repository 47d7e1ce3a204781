package org.handoff.mapping;

import org.handoff.Wiring;

/** Wires the mapping files; the mappings-reload route re-reads them on a timer. */
public final class MappingModule {

    private MappingModule() {}

    public static void wire(Wiring w) {
        Mappings mappings = w.bind("mappings", new Mappings(w.config().mappingsDir()));
        w.addHealthCheck(new MappingsHealthCheck(mappings));
    }
}
