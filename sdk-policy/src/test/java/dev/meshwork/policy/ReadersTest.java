package dev.meshwork.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshwork.spi.Action;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who may read a contract's data, as catalogues show it, from grants and usage contracts. */
class ReadersTest {
  @Test
  void readersAreTheReadGrantsOfTheContractThenItsUsageContracts() {
    PolicySet policies =
        PolicySet.of(
            List.of(
                Grant.builder("writers").principals("service:etl").actions(Action.WRITE).build(),
                Grant.builder("other-contract")
                    .principals("group:finance")
                    .actions(Action.READ)
                    .contracts("invoices")
                    .build(),
                Grant.builder("analysts")
                    .principals("group:analysts")
                    .actions(Action.READ)
                    .contracts("orders")
                    .products("reporting")
                    .purposes("analytics")
                    .mask(Grant.MaskRule.classification("restricted", "hash"))
                    .rowFilter("row.region == 'EU'")
                    .term("no-export")
                    .build(),
                Grant.builder("auditors").principals("user:ada").actions(Action.READ).build()),
            List.of(
                new UsageContract(
                    "uc-1",
                    Set.of("group:analysts"),
                    Set.of("orders"),
                    Set.of("analytics"),
                    Instant.parse("2026-01-01T00:00:00Z"),
                    Instant.parse("2027-01-01T00:00:00Z"),
                    List.of("delete after a year"))),
            List.of(),
            Map.of());

    List<ReadAccess> readers = policies.readers("orders");

    assertThat(readers)
        .extracting(ReadAccess::source)
        .containsExactly("grant analysts", "grant auditors", "usage contract uc-1");
    ReadAccess analysts = readers.get(0);
    assertThat(analysts.principals()).containsExactly("group:analysts");
    assertThat(analysts.products()).containsExactly("reporting");
    assertThat(analysts.purposes()).containsExactly("analytics");
    assertThat(analysts.masks()).containsExactly("classification restricted: hash");
    assertThat(analysts.rowFilter()).isEqualTo("row.region == 'EU'");
    assertThat(analysts.terms()).containsExactly("no-export");
    assertThat(readers.get(2).validUntil()).isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
    assertThat(policies.readers("invoices"))
        .extracting(ReadAccess::source)
        .containsExactly("grant other-contract", "grant auditors");
  }
}
