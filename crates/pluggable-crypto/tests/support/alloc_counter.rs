//! A global allocator that counts the allocations (and reallocations) of the current thread,
//! for tests that assert a code path allocates nothing. Per thread, because the tests of one
//! binary run on parallel threads.
//!
//! A test binary installs it by including this file:
//! `#[path = "support/alloc_counter.rs"] mod alloc_counter;`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct Counting;

thread_local! {
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

// SAFETY: delegates every call to the system allocator unchanged; the thread-local counter is a
// const-initialised `Cell` that never allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        // SAFETY: same layout contract as our caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.with(|c| c.set(c.get() + 1));
        // SAFETY: `ptr` came from `System.alloc` with this layout.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// How many allocations the current thread has made so far.
pub(crate) fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

/// The counter sees this thread's allocations, so the zero counts the tests assert are not
/// vacuous.
#[test]
fn counts_this_threads_allocations() {
    let before = allocations();
    let boxed = std::hint::black_box(Box::new([7u8; 64]));
    assert_eq!(allocations() - before, 1);
    drop(boxed);
}
