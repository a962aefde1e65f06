/**
 * What `analyze --ui-port` puts on the dashboard once the components are measured: the middle z
 * slice with the labels painted over it, the intensity histogram and the component size distribution.
 */
import type { ImageRDD, ShapeRow, ShapeTable } from '../imaging/index.js';
import { histogramSvg, sizeDistributionSvg } from '../imaging/index.js';
import type { Dashboard } from '../ui/index.js';

export async function showAnalysis(ui: Dashboard, image: ImageRDD, labels: ImageRDD, rows: readonly ShapeRow[] | ShapeTable): Promise<void> {
  const z = Math.floor(image.shape[0] / 2);
  ui.showPreview(`labels over slice z=${z}`, (await image.slice(z)).withLabels(await labels.slice(z)));
  ui.showPreview('intensity histogram', histogramSvg(await image.histogram({ bins: 64 }), { title: 'intensity', logY: true }));
  const sizes = Array.isArray(rows) ? rows.map((r) => r.voxels) : (rows as ShapeTable).voxelCounts();
  if (sizes.length > 0) ui.showPreview('component sizes', sizeDistributionSvg(sizes, { title: 'component size (voxels)' }));
}
