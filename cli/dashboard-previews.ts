/**
 * What `analyze --ui-port` puts on the dashboard once the components are measured: the middle z
 * slice with the labels painted over it, the intensity histogram and the component size distribution.
 */
import type { ImageRDD, ShapeRow } from '../imaging/index.js';
import { histogramSvg, sizeDistributionSvg } from '../imaging/index.js';
import type { Dashboard } from '../ui/index.js';

export async function showAnalysis(ui: Dashboard, image: ImageRDD, labels: ImageRDD, rows: readonly ShapeRow[]): Promise<void> {
  const z = Math.floor(image.shape[0] / 2);
  ui.showPreview(`labels over slice z=${z}`, (await image.slice(z)).withLabels(await labels.slice(z)));
  ui.showPreview('intensity histogram', histogramSvg(await image.histogram({ bins: 64 }), { title: 'intensity', logY: true }));
  if (rows.length > 0) ui.showPreview('component sizes', sizeDistributionSvg(rows.map((r) => r.voxels), { title: 'component size (voxels)' }));
}
