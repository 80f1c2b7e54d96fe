/**
 * Quality adapter: assertion suites that gate publishing (see the quality issue; not built yet).
 */
package dev.meshwork.quality;
