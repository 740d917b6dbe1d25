/**
 * Map races: {@code run}, {@code attach}, {@code detach}, {@code status}, {@code report}, {@code repro} and
 * {@code demo}. Imports {@code jvm}, {@code render} and {@code console}, and {@code profile} for {@code run --profile};
 * never another feature package.
 */
package dev.mapscope.cli.race;
