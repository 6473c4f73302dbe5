package io.isthmus.vim.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.isthmus.vim.persistence.CapacityPool;
import io.isthmus.vim.persistence.Resources;

class AdmissionTest {

    private static final CapacityPool HOST = new CapacityPool("local", "local", 16, 32768);

    @Test
    void whatFitsQuotaAndPoolIsAdmitted() {
        var quota = new Admission.QuotaUsage("acme", 8, 5, 16384, 1024);

        assertThat(Admission.evaluate(new Resources(3, 15360), quota, HOST)).isEmpty();
    }

    @Test
    void quotaRefusesFirstAndNamesEveryLimitExceeded() {
        var quota = new Admission.QuotaUsage("acme", 8, 5, 16384, 16000);

        var refusal = Admission.evaluate(new Resources(4, 512), quota, HOST).orElseThrow();

        assertThat(refusal.refuser()).isEqualTo(Admission.Refuser.QUOTA);
        assertThat(refusal.reason()).isEqualTo("Quota exceeded for tenant acme: vcpus quota: 4 requested, 5 of 8"
                + " used; memoryMb quota: 512 requested, 16000 of 16384 used");
    }

    @Test
    void poolRefusesWhatTheQuotaAllows() {
        var quota = new Admission.QuotaUsage("acme", 100, 0, 100_000, 0);

        var refusal = Admission.evaluate(new Resources(17, 1024), quota, HOST).orElseThrow();

        assertThat(refusal.refuser()).isEqualTo(Admission.Refuser.CAPACITY);
        assertThat(refusal.reason()).isEqualTo("Capacity exhausted in pool local: vcpus: 17 requested, 0 of 16 used");
    }
}
