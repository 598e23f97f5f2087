package cache

import (
	"fmt"
	"sync"
	"testing"
)

func TestAnotherVersionMisses(t *testing.T) {
	c := New[string, int, string]("results", 4)
	c.Put("review 1", 3, "three sheets")
	if v, ok := c.Get("review 1", 3); !ok || v != "three sheets" {
		t.Fatalf("Get at the stored version = %q, %v", v, ok)
	}
	if _, ok := c.Get("review 1", 4); ok {
		t.Fatal("a fourth sheet arrived, yet the cache answered with the three-sheet results")
	}
	c.Put("review 1", 4, "four sheets")
	if v, ok := c.Get("review 1", 4); !ok || v != "four sheets" {
		t.Fatalf("after the new version was stored, Get = %q, %v", v, ok)
	}
	if _, ok := c.Get("review 1", 3); ok {
		t.Fatal("the old version is still answered after it was replaced")
	}
	if c.Len() != 1 {
		t.Fatalf("a key stored at two versions takes %d entries, want 1", c.Len())
	}
}

func TestNeverHoldsMoreThanMax(t *testing.T) {
	c := New[int, struct{}, int]("bounded", 8)
	for i := range 1000 {
		c.Put(i, struct{}{}, i)
		if c.Len() > 8 {
			t.Fatalf("after %d puts the cache holds %d entries, more than its 8", i+1, c.Len())
		}
	}
	// The most recent put is always there.
	if v, ok := c.Get(999, struct{}{}); !ok || v != 999 {
		t.Fatalf("the entry just stored was evicted: %d, %v", v, ok)
	}
}

func TestEvictsWhatIsNotRead(t *testing.T) {
	c := New[string, struct{}, int]("clock", 3)
	c.Put("a", struct{}{}, 1)
	c.Put("b", struct{}{}, 2)
	c.Put("c", struct{}{}, 3)
	// "a" and "c" are read; "b" is not, so the next put evicts "b".
	c.Get("a", struct{}{})
	c.Get("c", struct{}{})
	c.Put("d", struct{}{}, 4)
	if _, ok := c.Get("b", struct{}{}); ok {
		t.Fatal("the entry nobody read was kept while read ones were at risk")
	}
	for _, k := range []string{"a", "c", "d"} {
		if _, ok := c.Get(k, struct{}{}); !ok {
			t.Fatalf("%q was evicted although it was read", k)
		}
	}
}

func TestDeleteFreesItsSlot(t *testing.T) {
	c := New[string, int, int]("delete", 2)
	c.Put("a", 1, 1)
	c.Put("b", 1, 2)
	c.Delete("a")
	c.Delete("missing")
	if _, ok := c.Get("a", 1); ok {
		t.Fatal("a deleted entry is still answered")
	}
	c.Put("c", 1, 3)
	for _, k := range []string{"b", "c"} {
		if _, ok := c.Get(k, 1); !ok {
			t.Fatalf("%q is missing after a delete made room", k)
		}
	}
	if c.Len() != 2 {
		t.Fatalf("Len = %d, want 2", c.Len())
	}
}

func TestManyGoroutines(t *testing.T) {
	c := New[string, int, int]("race", 16)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 2000 {
				k := fmt.Sprint((g*31 + i) % 40)
				if v, ok := c.Get(k, i%3); ok && v != len(k)*10+i%3 {
					t.Errorf("Get(%s) = %d, a value stored for another key or version", k, v)
					return
				}
				c.Put(k, i%3, len(k)*10+i%3)
				if i%97 == 0 {
					c.Delete(k)
				}
			}
		}()
	}
	wg.Wait()
	if c.Len() > 16 {
		t.Fatalf("holds %d entries, more than its 16", c.Len())
	}
}

func BenchmarkGetHit(b *testing.B) {
	c := New[string, int, int]("bench", 1024)
	for i := range 512 {
		c.Put(fmt.Sprint(i), 1, i)
	}
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			c.Get("77", 1)
			i++
		}
	})
}
