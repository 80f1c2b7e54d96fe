/**
 * The descriptor model: Bitol ODPS v1 data products and ODCS v3 data contracts.
 *
 * <p>Every record keeps the fields it does not model in {@code extensions}, so loading and writing
 * a descriptor loses nothing.
 */
package dev.meshwork.core.model;
