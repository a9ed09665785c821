//! Deterministic k-means (k-means++ seeding, Lloyd iterations, best of several restarts)
//! and the mean silhouette score used to choose k.

use crate::rng::SimRng;

/// A clustering of points into `k` groups.
#[derive(Debug, Clone, PartialEq)]
pub struct Clustering {
    /// Number of clusters.
    pub k: usize,
    /// Cluster of each point, `0..k`.
    pub labels: Vec<usize>,
    /// Sum of squared distances to the assigned centroids.
    pub inertia: f64,
}

fn distance2(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum()
}

/// k-means of `points` (all of one dimension) into `k` clusters (1 ≤ k ≤ points), best
/// inertia over `restarts` runs, every draw from `rng`.
pub fn kmeans(points: &[Vec<f64>], k: usize, restarts: usize, rng: &mut SimRng) -> Clustering {
    let n = points.len();
    let k = k.clamp(1, n.max(1));
    let mut best: Option<Clustering> = None;
    for _ in 0..restarts.max(1) {
        // k-means++ seeding
        let mut centres: Vec<Vec<f64>> = vec![points[rng.below(n)].clone()];
        while centres.len() < k {
            let weights: Vec<f64> = points
                .iter()
                .map(|p| {
                    centres
                        .iter()
                        .map(|c| distance2(p, c))
                        .fold(f64::INFINITY, f64::min)
                })
                .collect();
            let total: f64 = weights.iter().sum();
            let pick = if total > 0.0 {
                let mut u = rng.uniform() * total;
                weights.iter().position(|w| {
                    u -= w;
                    u <= 0.0
                })
            } else {
                None
            };
            centres.push(points[pick.unwrap_or_else(|| rng.below(n))].clone());
        }
        let mut labels = vec![0usize; n];
        for _ in 0..100 {
            let mut changed = false;
            for (i, p) in points.iter().enumerate() {
                let nearest = (0..k)
                    .min_by(|a, b| {
                        distance2(p, &centres[*a]).total_cmp(&distance2(p, &centres[*b]))
                    })
                    .unwrap_or(0);
                if labels[i] != nearest {
                    labels[i] = nearest;
                    changed = true;
                }
            }
            for (c, centre) in centres.iter_mut().enumerate() {
                let members: Vec<&Vec<f64>> = points
                    .iter()
                    .zip(&labels)
                    .filter(|(_, l)| **l == c)
                    .map(|(p, _)| p)
                    .collect();
                if members.is_empty() {
                    continue;
                }
                for (d, value) in centre.iter_mut().enumerate() {
                    *value = members.iter().map(|m| m[d]).sum::<f64>() / members.len() as f64;
                }
            }
            if !changed {
                break;
            }
        }
        let inertia = points
            .iter()
            .zip(&labels)
            .map(|(p, l)| distance2(p, &centres[*l]))
            .sum();
        if best.as_ref().is_none_or(|b| inertia < b.inertia) {
            best = Some(Clustering { k, labels, inertia });
        }
    }
    best.unwrap_or(Clustering {
        k,
        labels: vec![0; n],
        inertia: 0.0,
    })
}

/// Mean silhouette score of a labelling (Euclidean), in [−1, 1]; 0 for fewer than two
/// non-empty clusters. A point alone in its cluster scores 0.
pub fn silhouette(points: &[Vec<f64>], labels: &[usize], k: usize) -> f64 {
    let n = points.len();
    let sizes: Vec<usize> = (0..k)
        .map(|c| labels.iter().filter(|l| **l == c).count())
        .collect();
    if sizes.iter().filter(|s| **s > 0).count() < 2 {
        return 0.0;
    }
    let mut total = 0.0;
    for i in 0..n {
        let mut sums = vec![0.0f64; k];
        for j in 0..n {
            if i != j {
                sums[labels[j]] += distance2(&points[i], &points[j]).sqrt();
            }
        }
        let own = labels[i];
        if sizes[own] <= 1 {
            continue;
        }
        let a = sums[own] / (sizes[own] - 1) as f64;
        let b = (0..k)
            .filter(|c| *c != own && sizes[*c] > 0)
            .map(|c| sums[c] / sizes[c] as f64)
            .fold(f64::INFINITY, f64::min);
        let s = if a.max(b) > 0.0 {
            (b - a) / a.max(b)
        } else {
            0.0
        };
        total += s;
    }
    total / n as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn three_blobs_are_found_and_score_high() {
        let mut rng = SimRng::new(4);
        let mut points = Vec::new();
        for centre in [[0.0, 0.0], [5.0, 0.0], [0.0, 5.0]] {
            for _ in 0..20 {
                points.push(vec![
                    centre[0] + 0.3 * rng.normal(),
                    centre[1] + 0.3 * rng.normal(),
                ]);
            }
        }
        let c = kmeans(&points, 3, 5, &mut SimRng::new(1));
        for blob in 0..3 {
            let l = c.labels[blob * 20];
            assert!(c.labels[blob * 20..(blob + 1) * 20].iter().all(|x| *x == l));
        }
        let s3 = silhouette(&points, &c.labels, 3);
        let c2 = kmeans(&points, 2, 5, &mut SimRng::new(1));
        assert!(s3 > 0.8 && s3 > silhouette(&points, &c2.labels, 2), "{s3}");
        assert_eq!(
            c,
            kmeans(&points, 3, 5, &mut SimRng::new(1)),
            "deterministic"
        );
    }
}
