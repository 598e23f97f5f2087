// Package cache is Alongside's one way to hold, in one process, something
// worked out from the database. Every entry is stored with the version the
// database gave for it (a count of sheets, a row version, a count of
// responses); a lookup with any other version misses, so a change made by
// another app server is never hidden, only recomputed. What never changes
// once written (a parsed questionnaire body) uses the version struct{}.
//
// A cache holds at most Max entries. When full, the clock algorithm evicts
// an entry not read since the hand last passed it, so a cache can never grow
// with the data.
package cache

import (
	"sync"
	"sync/atomic"
)

// Cache maps a key to a value computed at a version of the database.
// The zero value is not usable; make one with New.
type Cache[K, Ver comparable, V any] struct {
	name string
	max  int

	mu      sync.RWMutex
	entries map[K]*entry[Ver, V]
	ring    []K // keys in slot order, for the clock hand
	hand    int
}

type entry[Ver comparable, V any] struct {
	version Ver
	value   V
	slot    int
	used    atomic.Bool // read since the clock hand last passed
}

// New makes a cache named name (for ARCHITECTURE.md and the metrics) that
// holds at most max entries.
func New[K, Ver comparable, V any](name string, max int) *Cache[K, Ver, V] {
	if max < 1 {
		panic("cache " + name + ": max must be at least 1")
	}
	return &Cache[K, Ver, V]{name: name, max: max, entries: make(map[K]*entry[Ver, V])}
}

// Name is the name the cache was made with.
func (c *Cache[K, Ver, V]) Name() string { return c.name }

// Max is the most entries the cache holds.
func (c *Cache[K, Ver, V]) Max() int { return c.max }

// Len is how many entries the cache holds now.
func (c *Cache[K, Ver, V]) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}

// Get returns the value stored for key at exactly version.
func (c *Cache[K, Ver, V]) Get(key K, version Ver) (V, bool) {
	c.mu.RLock()
	e, ok := c.entries[key]
	c.mu.RUnlock()
	if !ok || e.version != version {
		var zero V
		return zero, false
	}
	if !e.used.Load() {
		e.used.Store(true)
	}
	return e.value, true
}

// Put stores value for key at version, replacing any other version.
func (c *Cache[K, Ver, V]) Put(key K, version Ver, value V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[key]; ok {
		n := &entry[Ver, V]{version: version, value: value, slot: e.slot}
		c.entries[key] = n
		return
	}
	slot := len(c.ring)
	if slot >= c.max {
		slot = c.evict()
		c.ring[slot] = key
	} else {
		c.ring = append(c.ring, key)
	}
	c.entries[key] = &entry[Ver, V]{version: version, value: value, slot: slot}
}

// Delete forgets key, for a change whose version the caller cannot know.
func (c *Cache[K, Ver, V]) Delete(key K) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return
	}
	delete(c.entries, key)
	// Move the last slot's key into the freed slot, keeping the ring dense.
	last := len(c.ring) - 1
	if e.slot != last {
		moved := c.ring[last]
		c.ring[e.slot] = moved
		c.entries[moved].slot = e.slot
	}
	c.ring = c.ring[:last]
	if c.hand >= len(c.ring) {
		c.hand = 0
	}
}

// evict removes one entry not read since the hand last passed it (after at
// most one full turn, every entry is such) and returns its free slot.
// c.mu is held.
func (c *Cache[K, Ver, V]) evict() int {
	for {
		if c.hand >= len(c.ring) {
			c.hand = 0
		}
		k := c.ring[c.hand]
		e := c.entries[k]
		if e.used.Load() {
			e.used.Store(false)
			c.hand++
			continue
		}
		delete(c.entries, k)
		slot := c.hand
		c.hand++
		return slot
	}
}
