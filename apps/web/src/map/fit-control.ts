import type { IControl } from 'maplibre-gl';

/** A map button that zooms to show every account on the map. */
export class FitControl implements IControl {
  private container: HTMLElement | undefined;
  private readonly onFit: () => void;

  constructor(onFit: () => void) {
    this.onFit = onFit;
  }

  onAdd(): HTMLElement {
    const container = document.createElement('div');
    container.className = 'maplibregl-ctrl maplibregl-ctrl-group';
    const button = document.createElement('button');
    button.type = 'button';
    button.title = 'Zoom to all accounts';
    button.setAttribute('aria-label', 'Zoom to all accounts');
    button.dataset['testid'] = 'map-fit';
    button.innerHTML =
      '<svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="#334155" stroke-width="2" stroke-linecap="round" style="margin:auto;display:block"><path d="M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5"/></svg>';
    button.addEventListener('click', this.onFit);
    container.appendChild(button);
    this.container = container;
    return container;
  }

  onRemove(): void {
    this.container?.remove();
    this.container = undefined;
  }
}
