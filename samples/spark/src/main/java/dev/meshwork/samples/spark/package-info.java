/** The demo's products published from Spark jobs: tasks write parts, the driver commits once. */
package dev.meshwork.samples.spark;
