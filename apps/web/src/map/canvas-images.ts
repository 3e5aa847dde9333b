import type { AccountKind, AccountStatus } from '@geocrm/domain';
import { KIND_STYLES, SHAPE_PATHS, STATUS_STYLES } from '../features/accounts/kind-style.ts';

/** Raw RGBA pixels that `map.addImage` accepts, drawn at `pixelRatio` for crisp HiDPI symbols. */
export interface RasterImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

export const PIXEL_RATIO = 2;
const FONT_STACK = '"Inter", "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif';

const makeCanvas = (cssWidth: number, cssHeight: number) => {
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(cssWidth * PIXEL_RATIO);
  canvas.height = Math.ceil(cssHeight * PIXEL_RATIO);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('Canvas 2D is not available');
  ctx.scale(PIXEL_RATIO, PIXEL_RATIO);
  return { canvas, ctx };
};

const toRaster = (canvas: HTMLCanvasElement, ctx: CanvasRenderingContext2D): RasterImage => {
  const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height);
  return { width: canvas.width, height: canvas.height, data: new Uint8Array(pixels.data.buffer) };
};

export const ACCOUNT_SYMBOL_SIZE = 22;

/** The id of an account symbol image; the map's icon-image expression builds the same string. */
export const accountImageId = (kind: AccountKind, status: AccountStatus): string => `account-${kind}-${status}`;

/** A kind's shape in its colour; the status changes opacity and outline (dashed ring for leads). */
export const drawAccountSymbol = (kind: AccountKind, status: AccountStatus): RasterImage => {
  const size = ACCOUNT_SYMBOL_SIZE;
  const { canvas, ctx } = makeCanvas(size, size);
  const style = KIND_STYLES[kind];
  const statusStyle = STATUS_STYLES[status];
  const path = new Path2D(SHAPE_PATHS[style.shape]);
  const radius = statusStyle.ring === 'dashed' ? 6.5 : 7.5;

  ctx.save();
  ctx.translate(size / 2, size / 2);
  if (statusStyle.ring === 'dashed') {
    ctx.beginPath();
    ctx.arc(0, 0, 10, 0, Math.PI * 2);
    ctx.setLineDash([3, 2.2]);
    ctx.lineWidth = 1.8;
    ctx.strokeStyle = style.color;
    ctx.stroke();
    ctx.setLineDash([]);
  }
  ctx.scale(radius, radius);
  ctx.shadowColor = 'rgba(15, 23, 42, 0.35)';
  ctx.shadowBlur = 2;
  ctx.globalAlpha = statusStyle.opacity;
  ctx.fillStyle = style.color;
  ctx.fill(path);
  ctx.shadowBlur = 0;
  ctx.globalAlpha = Math.max(statusStyle.opacity, 0.6);
  ctx.lineWidth = 1.6 / radius;
  ctx.lineJoin = 'round';
  ctx.strokeStyle = statusStyle.ring === 'dark' ? '#1e293b' : '#ffffff';
  ctx.stroke(path);
  ctx.restore();
  return toRaster(canvas, ctx);
};

export interface TextImageOptions {
  readonly fontSize: number;
  readonly color: string;
  readonly halo?: string;
  readonly weight?: number;
}

/**
 * Text drawn on a canvas: MapLibre needs glyph PBFs for text layers and the offline base map has none,
 * so labels (cluster counts, département names) are images made on demand.
 */
export const drawText = (text: string, options: TextImageOptions): RasterImage => {
  const font = `${options.weight ?? 600} ${options.fontSize}px ${FONT_STACK}`;
  const probe = makeCanvas(1, 1).ctx;
  probe.font = font;
  const width = Math.ceil(probe.measureText(text).width) + 6;
  const height = Math.ceil(options.fontSize * 1.4) + 4;
  const { canvas, ctx } = makeCanvas(width, height);
  ctx.font = font;
  ctx.textAlign = 'center';
  ctx.textBaseline = 'middle';
  if (options.halo) {
    ctx.lineWidth = 3;
    ctx.lineJoin = 'round';
    ctx.strokeStyle = options.halo;
    ctx.strokeText(text, width / 2, height / 2);
  }
  ctx.fillStyle = options.color;
  ctx.fillText(text, width / 2, height / 2);
  return toRaster(canvas, ctx);
};
