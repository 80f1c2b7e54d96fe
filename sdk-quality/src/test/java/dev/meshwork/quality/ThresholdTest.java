package dev.meshwork.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ThresholdTest {

  @Test
  void everyOdcsOperatorComparesAsItsNameSays() {
    assertThat(Threshold.mustBe(3).test(3)).isTrue();
    assertThat(Threshold.mustBe(3).test(3.5)).isFalse();
    assertThat(Threshold.mustNotBe(3).test(4)).isTrue();
    assertThat(Threshold.mustNotBe(3).test(3)).isFalse();
    assertThat(Threshold.mustBeGreaterThan(3).test(3.01)).isTrue();
    assertThat(Threshold.mustBeGreaterThan(3).test(3)).isFalse();
    assertThat(Threshold.mustBeGreaterOrEqualTo(3).test(3)).isTrue();
    assertThat(Threshold.mustBeGreaterOrEqualTo(3).test(2.99)).isFalse();
    assertThat(Threshold.mustBeLessThan(3).test(2.99)).isTrue();
    assertThat(Threshold.mustBeLessThan(3).test(3)).isFalse();
    assertThat(Threshold.mustBeLessOrEqualTo(3).test(3)).isTrue();
    assertThat(Threshold.mustBeLessOrEqualTo(3).test(3.01)).isFalse();
    assertThat(Threshold.mustBeBetween(1, 5).test(1)).isTrue();
    assertThat(Threshold.mustBeBetween(1, 5).test(5)).isTrue();
    assertThat(Threshold.mustBeBetween(1, 5).test(5.1)).isFalse();
    assertThat(Threshold.mustNotBeBetween(1, 5).test(0.9)).isTrue();
    assertThat(Threshold.mustNotBeBetween(1, 5).test(3)).isFalse();
    assertThat(Threshold.mustBeBetween(1, 5)).hasToString("between 1 and 5");
  }

  @Test
  void aRangeMustListTheSmallerNumberFirst() {
    assertThatThrownBy(() -> Threshold.mustBeBetween(5, 1))
        .hasMessageContaining("mustBeBetween needs the smaller number first");
  }
}
