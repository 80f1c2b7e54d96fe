package dev.meshwork.policy.internal.governance;

import dev.meshwork.core.model.DataContract;
import dev.meshwork.core.model.SchemaObject;
import dev.meshwork.spi.PolicyRequest;
import java.util.List;

/** One governance rule, run on PUBLISH over what is about to be published. */
public interface GovernanceCheck {
  /**
   * What the output breaks, one message per finding (without the rule's name), or nothing.
   *
   * @param request the PUBLISH request
   * @param contract the output port's contract
   * @param object the contract's schema object the port writes
   */
  List<String> violations(PolicyRequest request, DataContract contract, SchemaObject object);
}
