// @ts-check
/**
 * The 2-D sheet view: neuron i sits at column `i % width`, row `i / width` (the placement
 * the `local` connectivity uses, `sheetShape` of the wasm module). Clicking a neuron asks
 * the training worker for its presynaptic partners and shows that footprint; the caption
 * gives the mask's density. Drawn with the plain 2-D canvas API (a UI widget, not a plot).
 */

/**
 * @param {HTMLCanvasElement} canvas
 * @param {HTMLElement} caption
 * @param {(neuron: number) => void} requestFootprint
 */
export function createSheet(canvas, caption, requestFootprint) {
  const context = canvas.getContext('2d');
  let width = 1;
  let height = 1;
  let n = 0;
  /** @type {number | null} */
  let selected = null;
  /** @type {Set<number>} */
  let partners = new Set();
  let summary = '';

  function cell() {
    return Math.min(canvas.width / width, canvas.height / height);
  }

  function draw() {
    if (!context) return;
    context.fillStyle = '#fff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    const size = cell();
    const gap = size > 6 ? 1 : 0;
    for (let i = 0; i < n; i++) {
      const x = (i % width) * size;
      const y = Math.floor(i / width) * size;
      context.fillStyle = i === selected ? '#d62728' : partners.has(i) ? '#1f77b4' : '#d9d9d9';
      context.fillRect(x + gap, y + gap, size - 2 * gap, size - 2 * gap);
    }
  }

  /** New network: `info` from `Simulator.info()`. @param {any} info */
  function setInfo(info) {
    n = info.nNeurons;
    width = info.sheetWidth;
    height = info.sheetHeight;
    selected = null;
    partners = new Set();
    summary =
      `${info.connectivity}: ${info.nSynapses} synapses, density ${(100 * info.density).toFixed(1)} %` +
      (info.excitatory !== undefined && info.excitatory !== null ? `, ${info.excitatory} excitatory / ${n - info.excitatory} inhibitory` : '');
    caption.textContent = `${summary}. Sheet ${width} x ${height}; click a neuron to see its presynaptic partners.`;
    draw();
  }

  /** @param {number} neuron @param {Uint32Array} list */
  function setFootprint(neuron, list) {
    selected = neuron;
    partners = new Set(list);
    caption.textContent = `${summary}. Neuron ${neuron} (red) receives from ${list.length} neurons (blue).`;
    draw();
  }

  canvas.addEventListener('click', (event) => {
    const rect = canvas.getBoundingClientRect();
    const size = cell();
    const x = ((event.clientX - rect.left) * canvas.width) / rect.width;
    const y = ((event.clientY - rect.top) * canvas.height) / rect.height;
    const neuron = Math.floor(y / size) * width + Math.floor(x / size);
    if (x < width * size && neuron >= 0 && neuron < n) requestFootprint(neuron);
  });

  return { setInfo, setFootprint };
}
