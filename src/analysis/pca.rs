//! Principal components of population activity (neurons as dimensions, time × trial as
//! samples), by power iteration with deflation on the covariance matrix.

use crate::rng::SimRng;

/// Top `k` principal axes (unit vectors of length `n_neurons`) and their variances, from
/// samples given as `data[neuron][sample]` (row-major `n_neurons × n_samples`).
pub fn principal_components(
    data: &[f32],
    n_neurons: usize,
    n_samples: usize,
    k: usize,
) -> (Vec<Vec<f64>>, Vec<f64>) {
    assert_eq!(data.len(), n_neurons * n_samples, "pca: data shape");
    let means = neuron_means(data, n_neurons, n_samples);
    let mut cov = vec![0.0f64; n_neurons * n_neurons];
    for i in 0..n_neurons {
        for j in i..n_neurons {
            let mut acc = 0.0;
            for s in 0..n_samples {
                acc += (data[i * n_samples + s] as f64 - means[i])
                    * (data[j * n_samples + s] as f64 - means[j]);
            }
            let c = acc / (n_samples.max(2) - 1) as f64;
            cov[i * n_neurons + j] = c;
            cov[j * n_neurons + i] = c;
        }
    }
    let mut rng = SimRng::new(0);
    let mut axes = Vec::new();
    let mut variances = Vec::new();
    for _ in 0..k.min(n_neurons) {
        let mut v: Vec<f64> = (0..n_neurons).map(|_| rng.normal()).collect();
        let mut lambda = 0.0;
        for _ in 0..300 {
            let mut w = vec![0.0; n_neurons];
            for i in 0..n_neurons {
                w[i] = (0..n_neurons).map(|j| cov[i * n_neurons + j] * v[j]).sum();
            }
            let norm = w.iter().map(|x| x * x).sum::<f64>().sqrt();
            if norm == 0.0 {
                break;
            }
            lambda = norm;
            v = w.into_iter().map(|x| x / norm).collect();
        }
        for i in 0..n_neurons {
            for j in 0..n_neurons {
                cov[i * n_neurons + j] -= lambda * v[i] * v[j];
            }
        }
        axes.push(v);
        variances.push(lambda);
    }
    (axes, variances)
}

/// Project samples onto `axes` (after removing each neuron's mean): `[axis][sample]`.
pub fn project(
    data: &[f32],
    n_neurons: usize,
    n_samples: usize,
    axes: &[Vec<f64>],
) -> Vec<Vec<f64>> {
    let means = neuron_means(data, n_neurons, n_samples);
    axes.iter()
        .map(|axis| {
            (0..n_samples)
                .map(|s| {
                    (0..n_neurons)
                        .map(|i| axis[i] * (data[i * n_samples + s] as f64 - means[i]))
                        .sum()
                })
                .collect()
        })
        .collect()
}

/// Mean over samples of each neuron's row.
fn neuron_means(data: &[f32], n_neurons: usize, n_samples: usize) -> Vec<f64> {
    (0..n_neurons)
        .map(|i| {
            let row = &data[i * n_samples..(i + 1) * n_samples];
            row.iter().map(|x| *x as f64).sum::<f64>() / n_samples.max(1) as f64
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_dominant_direction() {
        // samples along (1, 2, 0)/√5 with small noise on the third axis
        let mut rng = SimRng::new(1);
        let n_samples = 500;
        let mut data = vec![0.0f32; 3 * n_samples];
        for s in 0..n_samples {
            let a = rng.normal() * 3.0;
            data[s] = a as f32;
            data[n_samples + s] = (2.0 * a) as f32;
            data[2 * n_samples + s] = (0.1 * rng.normal()) as f32;
        }
        let (axes, variances) = principal_components(&data, 3, n_samples, 2);
        let expected = [1.0 / 5f64.sqrt(), 2.0 / 5f64.sqrt(), 0.0];
        let cosine: f64 = axes[0].iter().zip(expected).map(|(a, b)| a * b).sum();
        assert!(cosine.abs() > 0.999, "cosine {cosine}");
        assert!(variances[0] > 100.0 * variances[1]);
        let projected = project(&data, 3, n_samples, &axes[..1]);
        assert_eq!(projected[0].len(), n_samples);
    }
}
