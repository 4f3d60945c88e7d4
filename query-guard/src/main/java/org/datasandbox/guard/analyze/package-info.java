/**
 * Analysis of the relational plan, never of SQL text: granularity of every node (individual rows, groups,
 * or literal rows), lineage of every field to base columns (Calcite column origins and expression
 * lineage), and recognition of coarse buckets over quasi-identifiers.
 */
package org.datasandbox.guard.analyze;
