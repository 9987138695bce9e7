// @vitest-environment jsdom
import { describe, it, expect, afterEach } from 'vitest';
import { render, screen, fireEvent, act, cleanup, within } from '@testing-library/react';
import { App } from './app';
import { StoreProvider } from '../store/store-context';
import { createAppStore } from '../store/app-store';
import { ScriptedApi } from '../test-support/scripted-api';
import {
  appState,
  CONTENT,
  conversation,
  DEMO_DESCRIPTION,
  message,
  view,
} from '../test-support/fixtures';
import { KvLensError } from '../../app/errors';

afterEach(cleanup);

async function mount(api: ScriptedApi) {
  const store = createAppStore(api);
  render(
    <StoreProvider store={store}>
      <App />
    </StoreProvider>,
  );
  await act(async () => {
    await store.getState().init();
  });
  return store;
}

function baseApi() {
  return new ScriptedApi()
    .handle('app:getState', () => appState(true))
    .handle('document:get', () => CONTENT)
    .handle('conversation:list', () => []);
}

const frame = () => new Promise((r) => requestAnimationFrame(() => r(null)));

describe('App', () => {
  it('exposes the contract accessible names', async () => {
    await mount(baseApi());
    const region = screen.getByRole('region', { name: 'Retention heatmap' });
    expect(within(region).getByText(/The code is 4417/)).toBeTruthy();
    expect(screen.getByRole('textbox', { name: 'Ask about the document' })).toBeTruthy();
    const slider = screen.getByRole('slider', { name: 'Cache budget' });
    expect(slider.getAttribute('aria-valuetext')).toMatch(/tokens per layer/);
    const method = screen.getByRole('combobox', {
      name: 'Compression method',
    }) as HTMLSelectElement;
    expect(method.value).toBe('compresskv');
    expect(Array.from(method.options, (o) => o.text)).toEqual([
      'CompressKV',
      'SnapKV',
      'PyramidKV',
      'H2O',
      'StreamingLLM',
      'Full cache',
    ]);
    expect(screen.getByRole('combobox', { name: 'Execution provider' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Import model folder' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Calibrate' })).toBeTruthy();
  });

  it('says what the demo model is for beside the picker, and nothing for an imported model', async () => {
    const state = appState(true);
    const demo = state.models[0]!;
    state.models.push({
      ...demo,
      id: 'imported-1',
      name: 'my-model',
      dir: '/models/mine',
      isDefault: false,
      description: undefined,
    });
    const api = baseApi()
      .handle('app:getState', () => state)
      .handle('settings:set', ({ patch }) => ({ ...state.settings, ...patch }));
    await mount(api);
    const picker = screen.getByRole('region', { name: 'Model' });
    const select = within(picker).getByRole('combobox', { name: 'Model' }) as HTMLSelectElement;
    expect(select.value).toBe('demo-1');
    const line = within(picker).getByText(DEMO_DESCRIPTION);
    expect(line.tagName).toBe('P');
    expect(select.getAttribute('aria-describedby')).toBe(line.id);

    await act(async () => {
      fireEvent.change(select, { target: { value: 'imported-1' } });
    });
    expect(api.callsTo('settings:set')).toEqual([{ patch: { activeModelId: 'imported-1' } }]);
    expect(select.value).toBe('imported-1');
    expect(within(picker).queryByText(DEMO_DESCRIPTION)).toBeNull();
    expect(select.getAttribute('aria-describedby')).toBeNull();
  });

  it('sends on Enter, streams the answer, stops on Escape, then shows Kept N of M', async () => {
    const api = baseApi();
    let finish!: () => void;
    api
      .handle('chat:ask', async () => {
        api.emit('chat:onToken', {
          conversationId: 'conv-1',
          messageId: 'm2',
          index: 0,
          // A BPE model's first word comes with its leading space; it is not shown.
          text: ' The code',
        });
        await new Promise<void>((r) => (finish = r));
        api.emit('retention:onUpdate', view(4));
        return {
          conversationId: 'conv-1',
          question: message('user', 'm1', 'What is the code?'),
          answer: message('assistant', 'm2', ' The code'),
        };
      })
      .handle('chat:stop', () => {
        finish();
        return { stopped: true };
      })
      .handle('conversation:get', () =>
        conversation([
          message('user', 'm1', 'What is the code?'),
          { ...message('assistant', 'm2', ' The code'), status: 'stopped' },
        ]),
      );
    await mount(api);
    const box = screen.getByRole('textbox', { name: 'Ask about the document' });
    fireEvent.change(box, { target: { value: 'What is the code?' } });
    await act(async () => {
      fireEvent.keyDown(box, { key: 'Enter' });
      await frame();
    });
    expect(screen.getByRole('button', { name: 'Stop' })).toBeTruthy();
    expect(document.querySelector('.streaming .text')?.textContent).toBe('The code');
    await act(async () => {
      fireEvent.keyDown(box, { key: 'Escape' });
      await frame();
    });
    expect(api.callsTo('chat:stop')).toHaveLength(1);
    expect(screen.queryByRole('button', { name: 'Stop' })).toBeNull();
    expect(screen.getByText(/stopped/)).toBeTruthy();
    expect(document.querySelector('.message.assistant .text')?.textContent).toBe('The code');
    expect(screen.getByText(/Kept 4 of 10 tokens \(40\.0%\)/)).toBeTruthy();
  });

  it('follows the budget slider live and shows one layer when selected', async () => {
    const api = baseApi().handle('retention:select', (args) =>
      view(Math.min(10, Math.round(args.budget / 8))),
    );
    const store = await mount(api);
    await act(async () => {
      store.setState({ activeConversationId: 'conv-1' });
      store.getState().receiveView(view(8));
    });
    expect(screen.getByText(/Kept 8 of 10 tokens \(80\.0%\)/)).toBeTruthy();
    const slider = screen.getByRole('slider', { name: 'Cache budget' });
    await act(async () => {
      fireEvent.change(slider, { target: { value: '0' } });
      await new Promise((r) => setTimeout(r, 0));
    });
    expect(api.callsTo('retention:select')).toEqual([expect.objectContaining({ budget: 32 })]);
    expect(screen.getByText(/Kept 4 of 10 tokens/)).toBeTruthy();
    fireEvent.change(screen.getByRole('combobox', { name: 'Layer' }), { target: { value: '1' } });
    expect(screen.getByText(/in layer 2/)).toBeTruthy();
  });

  it('shows a readable error and lets the user dismiss it', async () => {
    const api = baseApi().handle('document:open', () => {
      throw new Error('memo.pdf is password-protected. Enter its password to open it.');
    });
    await mount(api);
    const input = screen.getByLabelText('Open document') as HTMLInputElement;
    const file = new File(['%PDF-1.7'], 'memo.pdf', { type: 'application/pdf' });
    await act(async () => {
      fireEvent.change(input, { target: { files: [file] } });
      await new Promise((r) => setTimeout(r, 10));
    });
    const upload = api.callsTo('document:open')[0] as {
      source: { kind: string; name: string; bytes: Uint8Array };
    };
    expect(upload.source.kind).toBe('upload');
    expect(upload.source.name).toBe('memo.pdf');
    expect(upload.source.bytes.length).toBe(8);
    expect(screen.getByRole('alert').textContent).toMatch(/password-protected/);
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss error' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('asks for the password of an encrypted PDF and opens it with it', async () => {
    const api = baseApi().handle('document:open', (args) => {
      if (args.password !== 'open sesame') {
        throw new KvLensError('encrypted', 'secret.pdf is password-protected.');
      }
      return appState(true).documents[0]!;
    });
    await mount(api);
    const input = screen.getByLabelText('Open document') as HTMLInputElement;
    await act(async () => {
      fireEvent.change(input, { target: { files: [new File(['%PDF'], 'secret.pdf')] } });
      await new Promise((r) => setTimeout(r, 10));
    });
    expect(screen.queryByRole('alert')).toBeNull();
    const field = screen.getByLabelText('PDF password');
    fireEvent.change(field, { target: { value: 'wrong' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Open' }));
      await new Promise((r) => setTimeout(r, 10));
    });
    expect(screen.getByText(/did not open secret\.pdf/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('PDF password'), { target: { value: 'open sesame' } });
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Open' }));
      await new Promise((r) => setTimeout(r, 10));
    });
    expect(screen.queryByLabelText('PDF password')).toBeNull();
    expect(
      api.callsTo('document:open').map((a) => (a as { password: string | null }).password),
    ).toEqual([null, 'wrong', 'open sesame']);
  });
});
