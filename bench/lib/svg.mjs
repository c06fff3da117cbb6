// Small SVG charts for docs/benchmarks.md: no dependency, readable as text.

const WIDTH = 640;
const COLORS = ['#d9480f', '#1c7ed6', '#2b8a3e', '#862e9c', '#e67700', '#495057', '#0b7285'];

const escape = (text) => String(text).replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** Horizontal bars: `items` are `{ label, value }`; `unit` is appended to each value. */
export function barChart(title, items, unit) {
  const rowHeight = 26;
  const labelWidth = 220;
  const height = 40 + items.length * rowHeight;
  const max = Math.max(...items.map((item) => item.value));
  const bars = items.map((item, index) => {
    const y = 30 + index * rowHeight;
    const width = ((WIDTH - labelWidth - 90) * item.value) / max;
    return [
      `<text x="${labelWidth - 8}" y="${y + 15}" text-anchor="end">${escape(item.label)}</text>`,
      `<rect x="${labelWidth}" y="${y + 3}" width="${width.toFixed(1)}" height="${rowHeight - 8}" fill="${COLORS[index % COLORS.length]}"/>`,
      `<text x="${(labelWidth + width + 6).toFixed(1)}" y="${y + 15}">${escape(item.value.toLocaleString('en'))} ${unit}</text>`,
    ].join('');
  });
  return svg(height, title, bars.join('\n'));
}

/** Lines of `series` (`{ name, points: [[x, y], ...] }`) on a log-x axis. */
export function lineChart(title, series, xLabel, yLabel) {
  const height = 320;
  const left = 60;
  const right = WIDTH - 170;
  const top = 30;
  const bottom = height - 40;
  const xs = series.flatMap((line) => line.points.map(([x]) => x));
  const maxY = Math.max(...series.flatMap((line) => line.points.map(([, y]) => y))) * 1.1;
  const [minX, maxX] = [Math.min(...xs), Math.max(...xs)];
  const px = (x) => left + ((Math.log(x) - Math.log(minX)) / (Math.log(maxX) - Math.log(minX) || 1)) * (right - left);
  const py = (y) => bottom - (y / maxY) * (bottom - top);
  const lines = series.map((line, index) => {
    const color = COLORS[index % COLORS.length];
    const path = line.points.map(([x, y], i) => `${i ? 'L' : 'M'}${px(x).toFixed(1)},${py(y).toFixed(1)}`).join(' ');
    return `<path d="${path}" fill="none" stroke="${color}" stroke-width="2"/>`
      + line.points.map(([x, y]) => `<circle cx="${px(x).toFixed(1)}" cy="${py(y).toFixed(1)}" r="3" fill="${color}"/>`).join('')
      + `<text x="${right + 10}" y="${top + 16 + index * 18}" fill="${color}">${escape(line.name)}</text>`;
  });
  const ticks = [...new Set(xs)].map((x) => `<text x="${px(x).toFixed(1)}" y="${bottom + 16}" text-anchor="middle">${x}</text>`);
  const axes = `<path d="M${left},${top} L${left},${bottom} L${right},${bottom}" stroke="#868e96" fill="none"/>`
    + `<text x="${(left + right) / 2}" y="${height - 6}" text-anchor="middle">${escape(xLabel)}</text>`
    + `<text x="14" y="${(top + bottom) / 2}" transform="rotate(-90 14 ${(top + bottom) / 2})" text-anchor="middle">${escape(yLabel)}</text>`
    + `<text x="${left - 6}" y="${top + 4}" text-anchor="end">${maxY.toFixed(0)}</text>`
    + `<text x="${left - 6}" y="${bottom}" text-anchor="end">0</text>`;
  return svg(height, title, [axes, ...ticks, ...lines].join('\n'));
}

function svg(height, title, body) {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/>
<text x="10" y="18" font-size="14" font-weight="bold">${escape(title)}</text>
${body}
</svg>
`;
}
