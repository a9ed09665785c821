//! Independent deterministic jobs (sweep points, study points) run natively on every core,
//! on wasm32 one after another (the page runs them in its worker pool instead).

use crate::error::Result;

/// `run` applied to every item, results in the items' order. Natively the items are dealt
/// round-robin to one thread per core (at most one per item); each job is deterministic,
/// so the threads change only the wall time. The first error is returned; a panicking
/// job's panic is resumed on the caller's thread.
pub fn map_ordered<T, R, F>(items: &[T], run: F) -> Result<Vec<R>>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> Result<R> + Sync,
{
    map_ordered_on(items, usize::MAX, run)
}

/// [`map_ordered`] on at most `max_threads` threads (and at most one per core; 0 and 1
/// both mean the caller's thread alone). The results do not depend on `max_threads`.
pub fn map_ordered_on<T, R, F>(items: &[T], max_threads: usize, run: F) -> Result<Vec<R>>
where
    T: Sync,
    R: Send,
    F: Fn(&T) -> Result<R> + Sync,
{
    #[cfg(not(target_arch = "wasm32"))]
    {
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(max_threads)
            .clamp(1, items.len().max(1));
        if threads == 1 {
            return items.iter().map(run).collect();
        }
        let mut results: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
        let run = &run;
        std::thread::scope(|scope| -> Result<()> {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    scope.spawn(move || {
                        let mine = items.iter().enumerate().skip(t).step_by(threads);
                        mine.map(|(i, item)| run(item).map(|r| (i, r)))
                            .collect::<Result<Vec<_>>>()
                    })
                })
                .collect();
            for handle in handles {
                let done = handle
                    .join()
                    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
                for (i, result) in done {
                    results[i] = Some(result);
                }
            }
            Ok(())
        })?;
        Ok(results.into_iter().flatten().collect())
    }
    #[cfg(target_arch = "wasm32")]
    {
        let _ = max_threads;
        items.iter().map(run).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::{map_ordered, map_ordered_on};
    use crate::error::Error;

    #[test]
    fn keeps_the_order_and_returns_the_first_error() {
        let items: Vec<u64> = (0..37).collect();
        assert_eq!(
            map_ordered(&items, |x| Ok(x * x)).unwrap(),
            items.iter().map(|x| x * x).collect::<Vec<_>>()
        );
        let failed = map_ordered(&items, |x| {
            if *x == 20 {
                Err(Error::field("x", 20, "is refused"))
            } else {
                Ok(*x)
            }
        });
        assert!(failed.unwrap_err().to_string().contains("`x`"));
        for threads in [0, 1, 2, 5] {
            assert_eq!(
                map_ordered_on(&items, threads, |x| Ok(x + 1)).unwrap(),
                items.iter().map(|x| x + 1).collect::<Vec<_>>()
            );
        }
    }
}
