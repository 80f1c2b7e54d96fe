/**
 * Quality gates: the rules of ODCS contracts and suites written in Java, checked in one pass while
 * an output is written; errors block the publish, warnings are recorded, quarantine diverts rows.
 */
package dev.meshwork.quality;
