package io.isthmus.vim.driver;

import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.All;

/** The drivers configuration switched on, by name. */
@ApplicationScoped
public class DriverRegistry {

    private final List<VimDriver> drivers;

    public DriverRegistry(@All List<VimDriver> drivers) {
        this.drivers = drivers;
    }

    public Optional<VimDriver> enabled(String name) {
        return drivers.stream().filter(d -> d.enabled() && d.name().equals(name)).findFirst();
    }

    public List<String> enabledNames() {
        return drivers.stream().filter(VimDriver::enabled).map(VimDriver::name).sorted().toList();
    }

    /** Any driver by name, on or off: stopping what a driver started before it was switched off still works. */
    public Optional<VimDriver> any(String name) {
        return drivers.stream().filter(d -> d.name().equals(name)).findFirst();
    }
}
