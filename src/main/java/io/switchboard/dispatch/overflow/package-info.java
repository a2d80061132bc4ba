/**
 * Where a target's dispatcher puts what its bounded queue cannot take: in memory ({@link
 * io.switchboard.dispatch.overflow.MemoryOverflow}, pushing back to the sources) or parked durably ({@link
 * io.switchboard.dispatch.overflow.ParkOverflow}). Each overflow is owned by one dispatcher instance and used on
 * its event loop only.
 */
package io.switchboard.dispatch.overflow;
