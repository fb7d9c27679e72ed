/**
 * The top two principal components of `rows` (n × d, row-major), and each row's coordinates on them: the covariance
 * (d × d) by one pass, its leading eigenvectors by power iteration with deflation (d is a hidden size, a few dozen).
 */
export function pca2(rows: Float32Array, n: number, d: number): { x: Float64Array; y: Float64Array; explained: [number, number] } {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += rows[i * d + j]! / n;
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const va = rows[i * d + a]! - mean[a]!;
      for (let b = a; b < d; b++) cov[a * d + b]! += (va * (rows[i * d + b]! - mean[b]!)) / n;
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) cov[a * d + b] = cov[b * d + a]!;
  let total = 0;
  for (let a = 0; a < d; a++) total += cov[a * d + a]!;
  const components: Float64Array[] = [];
  const variances: number[] = [];
  for (let c = 0; c < 2; c++) {
    let v = Float64Array.from({ length: d }, (_, j) => 1 + ((j * 7919) % 13) / 13); // a fixed start: the same run, the same axes
    let lambda = 0;
    for (let iteration = 0; iteration < 200; iteration++) {
      const next = new Float64Array(d);
      for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) next[a]! += cov[a * d + b]! * v[b]!;
      const norm = Math.hypot(...next) || 1;
      lambda = norm;
      v = next.map((x) => x / norm);
    }
    components.push(v);
    variances.push(lambda);
    for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) cov[a * d + b]! -= lambda * v[a]! * v[b]!; // deflate
  }
  const project = (component: Float64Array) =>
    Float64Array.from({ length: n }, (_, i) => component.reduce((sum, w, j) => sum + w * (rows[i * d + j]! - mean[j]!), 0));
  return { x: project(components[0]!), y: project(components[1]!), explained: [variances[0]! / total, variances[1]! / total] };
}
