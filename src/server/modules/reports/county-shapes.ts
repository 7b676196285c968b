/**
 * County outlines for the coverage map: the us-atlas counties TopoJSON
 * (Census cartographic boundaries), cut to one state with topojson-client and
 * projected with d3-geo on the server, so the browser receives only that
 * state's SVG paths (Kansas: about 40 KB) and no mapping library.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { geoConicEqualArea, geoPath, geoBounds } from 'd3-geo';
import { feature } from 'topojson-client';
import type { Feature, FeatureCollection, Geometry } from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { CountyShapes } from '../../../contract/reports.js';
import { DomainError } from '../../../domain/errors.js';

const WIDTH = 960;
const MAX_HEIGHT = 600;

let topology: Topology | null = null;
const cache = new Map<string, CountyShapes>();

function atlas(): Topology {
  if (!topology) {
    const file = createRequire(import.meta.url).resolve('us-atlas/counties-10m.json');
    topology = JSON.parse(readFileSync(file, 'utf8')) as Topology;
  }
  return topology;
}

export function countyShapes(stateFips: string): CountyShapes {
  const hit = cache.get(stateFips);
  if (hit) return hit;
  const topo = atlas();
  const all = feature(
    topo,
    topo.objects.counties as GeometryCollection<{ name: string }>,
  ) as FeatureCollection<Geometry, { name: string }>;
  const mine: Feature<Geometry, { name: string }>[] = all.features.filter((f) =>
    String(f.id).startsWith(stateFips),
  );
  if (!mine.length) throw new DomainError('not_found', 'There are no county outlines for this state.');
  const fc: FeatureCollection<Geometry, { name: string }> = { type: 'FeatureCollection', features: mine };
  // An equal-area conic centred on the state: counties keep their relative sizes.
  const [[west, south], [east, north]] = geoBounds(fc);
  const projection = geoConicEqualArea()
    .parallels([south + (north - south) / 6, north - (north - south) / 6])
    .rotate([-(west + east) / 2, 0])
    .center([0, (south + north) / 2]);
  projection.fitWidth(WIDTH, fc);
  const path = geoPath(projection).digits(1);
  const [[, y0], [, y1]] = path.bounds(fc);
  const height = Math.min(MAX_HEIGHT, Math.ceil(y1 - y0) + 2);
  projection.fitSize([WIDTH, height], fc);
  const shapes: CountyShapes = {
    stateFips,
    width: WIDTH,
    height,
    counties: mine
      .map((f) => ({ fips: String(f.id), name: f.properties.name, d: path(f) ?? '' }))
      .sort((a, b) => a.fips.localeCompare(b.fips)),
  };
  cache.set(stateFips, shapes);
  return shapes;
}
