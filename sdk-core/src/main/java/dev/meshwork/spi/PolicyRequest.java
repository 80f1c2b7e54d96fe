package dev.meshwork.spi;

import dev.meshwork.core.Principal;
import dev.meshwork.core.model.DataProduct;

/** A question for a policy engine: may this principal do this action on this product's port? */
public record PolicyRequest(
    Action action, Principal principal, DataProduct product, String port, String purpose) {}
