/**
 * Single-block graphs for the op-choice measurement (ops-choice.md): each variant of RMSNorm,
 * RoPE and the attention core, built with the same make* blocks as the real graph where one
 * exists, at Qwen2.5-0.5B's per-layer sizes.
 */
import {
  SCORE_ROWS,
  attnScoresName,
  newKeyName,
  newValueName,
  pastKeyName,
  pastValueName,
} from '../../../app/model/graph-contract';
import type { ModelSpec } from '../../../app/model/model-spec';
import { type GraphOps, type BlockContext, DEFAULT_GRAPH_OPS } from '../blocks/block-context';
import { makeAttentionCore } from '../blocks/make-attention-core';
import { makeRmsNorm } from '../blocks/make-rms-norm';
import { makeRope, makeRopeTables } from '../blocks/make-rope';
import { ropeInvFreq } from '../blocks/rope-inv-freq';
import { attr, GraphBuilder, MS_DOMAIN } from '../graph-builder';
import { encodeModel } from '../proto/onnx-encode';
import { TensorDataType, type ValueInfoDef } from '../proto/onnx-types';
import { InlineWeightSink } from '../weight-sink';

const f32 = TensorDataType.float;
const i64 = TensorDataType.int64;
const vi = (
  name: string,
  elemType: ValueInfoDef['elemType'],
  shape: ValueInfoDef['shape'],
): ValueInfoDef => ({ name, elemType, shape });

function context(spec: ModelSpec, ops: Partial<GraphOps>): BlockContext {
  const ones = (n: number): Float32Array => new Float32Array(n).fill(1);
  const ckpt = {
    spec,
    shape: (): number[] => [spec.hiddenSize],
    readFloat32: (): Float32Array => ones(spec.hiddenSize),
  };
  return {
    b: new GraphBuilder(new InlineWeightSink()),
    ckpt,
    spec,
    ops: { ...DEFAULT_GRAPH_OPS, ...ops },
  };
}

function finish(ctx: BlockContext): Uint8Array {
  return encodeModel(ctx.b.toModel('bench'));
}

/** x [1,S,h] -> RMSNorm, `layers` times in a chain. */
export async function rmsNormGraph(
  spec: ModelSpec,
  norm: GraphOps['norm'],
  layers: number,
): Promise<Uint8Array> {
  const ctx = context(spec, { norm });
  ctx.b.inputs.push(vi('x', f32, [1, 'seq', spec.hiddenSize]));
  let x = 'x';
  for (let l = 0; l < layers; l++) x = await makeRmsNorm(ctx, `/l${l}/norm`, x, `w${l}`);
  ctx.b.outputs.push(vi(x, f32, [1, 'seq', spec.hiddenSize]));
  return finish(ctx);
}

/**
 * q [1,S,H*d] and k [1,S,G*d] rotated in `layers` layers. plain: Reshape + Transpose + make
 * RoPE with shared tables; contrib: com.microsoft RotaryEmbedding on the 3-D input (then the same
 * Reshape + Transpose the attention core needs).
 */
export async function ropeGraph(
  spec: ModelSpec,
  kind: 'plain' | 'contrib',
  layers: number,
): Promise<Uint8Array> {
  const ctx = context(spec, {});
  const { b } = ctx;
  const { numHeads: H, numKvHeads: G, headDim: d } = spec;
  b.inputs.push(
    vi('q', f32, [1, 'seq', H * d]),
    vi('k', f32, [1, 'seq', G * d]),
    vi('position_ids', i64, [1, 'seq']),
  );
  const tables = kind === 'plain' ? await makeRopeTables(ctx, 'position_ids') : null;
  const maxPos = 4096;
  const inv = ropeInvFreq(spec);
  const cosCache = new Float32Array(maxPos * (d / 2));
  const sinCache = new Float32Array(maxPos * (d / 2));
  for (let p = 0; p < maxPos; p++) {
    for (let i = 0; i < d / 2; i++) {
      cosCache[p * (d / 2) + i] = Math.cos(p * inv[i]!);
      sinCache[p * (d / 2) + i] = Math.sin(p * inv[i]!);
    }
  }
  const cosName = kind === 'contrib' ? await b.weight('cos_cache', [maxPos, d / 2], cosCache) : '';
  const sinName = kind === 'contrib' ? await b.weight('sin_cache', [maxPos, d / 2], sinCache) : '';
  for (let l = 0; l < layers; l++) {
    for (const [name, n] of [
      ['q', H],
      ['k', G],
    ] as const) {
      const path = `/l${l}/${name}`;
      let x: string;
      if (tables) {
        const x4 = b.node(`${path}/Reshape`, 'Reshape', [name, b.int64([1, -1, n, d])]);
        const xt = b.node(`${path}/Transpose`, 'Transpose', [x4], {
          attributes: [attr.ints('perm', [0, 2, 1, 3])],
        });
        x = makeRope(ctx, `${path}/rope`, xt, tables.cos, tables.sinSigned);
      } else {
        const r = b.node(
          `${path}/RotaryEmbedding`,
          'RotaryEmbedding',
          [name, 'position_ids', cosName, sinName],
          {
            domain: MS_DOMAIN,
            attributes: [attr.int('num_heads', n), attr.int('interleaved', 0)],
          },
        );
        const x4 = b.node(`${path}/Reshape`, 'Reshape', [r, b.int64([1, -1, n, d])]);
        x = b.node(`${path}/Transpose`, 'Transpose', [x4], {
          attributes: [attr.ints('perm', [0, 2, 1, 3])],
        });
      }
      b.outputs.push(vi(x, f32, [1, n, 'seq', d]));
    }
  }
  return finish(ctx);
}

/**
 * One layer's attention from q [1,S,H*d], k/v [1,S,G*d] and a past cache to the merged output
 * plus attn_scores. plain/fused-matmul: the real core (after Reshape + Transpose); gqa:
 * com.microsoft GroupQueryAttention with qk_output=2 (softmax probabilities) for the scores.
 */
export function attentionGraph(spec: ModelSpec, kind: GraphOps['qk'] | 'gqa'): Uint8Array {
  const ctx = context(spec, kind === 'gqa' ? {} : { qk: kind });
  const { b } = ctx;
  const { numHeads: H, numKvHeads: G, headDim: d } = spec;
  b.inputs.push(
    vi('q', f32, [1, 'seq', H * d]),
    vi('k', f32, [1, 'seq', G * d]),
    vi('v', f32, [1, 'seq', G * d]),
  );
  b.inputs.push(
    vi(SCORE_ROWS, f32, [1, 'seq']),
    vi(pastKeyName(0), f32, [1, G, 'past', d]),
    vi(pastValueName(0), f32, [1, G, 'past', d]),
  );
  const shape = b.node('/seq/Shape', 'Shape', ['q']);
  const seqLen = b.node('/seq/Gather', 'Gather', [shape, b.int64([1], [])], {
    attributes: [attr.int('axis', 0)],
  });
  const scoreRows = b.node('/score_rows/Reshape', 'Reshape', [SCORE_ROWS, b.int64([1, 1, 1, -1])]);
  let out: string;
  if (kind === 'gqa') {
    const pastShape = b.node('/gqa/Shape', 'Shape', [pastKeyName(0)]);
    const past = b.node('/gqa/Gather', 'Gather', [pastShape, b.int64([2])], {
      attributes: [attr.int('axis', 0)],
    });
    const total64 = b.node('/gqa/Add', 'Add', [past, seqLen]);
    const seqlens = b.node(
      '/gqa/seqlens/Cast',
      'Cast',
      [b.node('/gqa/Sub', 'Sub', [total64, b.int64([1])])],
      { attributes: [attr.int('to', 6)] },
    );
    const total = b.node(
      '/gqa/total/Cast',
      'Cast',
      [b.node('/gqa/Squeeze', 'Squeeze', [total64, b.int64([0])])],
      { attributes: [attr.int('to', 6)] },
    );
    const [o, , , probs] = b.nodeMulti(
      '/gqa/GroupQueryAttention',
      'GroupQueryAttention',
      ['q', 'k', 'v', pastKeyName(0), pastValueName(0), seqlens, total],
      {
        domain: MS_DOMAIN,
        outputNames: ['/gqa/out', 'present.0.key', 'present.0.value', '/gqa/probs'],
        attributes: [
          attr.int('num_heads', H),
          attr.int('kv_num_heads', G),
          attr.int('qk_output', 2),
        ],
      },
    );
    const rowSums = b.node('/scores/MatMul', 'MatMul', [scoreRows, probs!]);
    b.node('/scores/Reshape', 'Reshape', [rowSums, b.int64([1, H, -1])], {
      outputNames: [attnScoresName(0)],
    });
    out = o!;
  } else {
    const heads = (name: string, n: number): string => {
      const x4 = b.node(`/${name}/Reshape`, 'Reshape', [name, b.int64([1, -1, n, d])]);
      return b.node(`/${name}/Transpose`, 'Transpose', [x4], {
        attributes: [attr.ints('perm', [0, 2, 1, 3])],
      });
    };
    out = makeAttentionCore(ctx, '/attn', 0, heads('q', H), heads('k', G), heads('v', G), {
      seqLen,
      scoreRows,
      cos: '',
      sinSigned: '',
    });
  }
  b.outputs.push(vi(out, f32, [1, 'seq', H * d]), vi(attnScoresName(0), f32, [1, H, 'total']));
  // GQA returns the whole cache (past + new); the contract core only the new entries.
  const [kOut, vOut, rows] =
    kind === 'gqa'
      ? ['present.0.key', 'present.0.value', 'total']
      : [newKeyName(0), newValueName(0), 'seq'];
  b.outputs.push(vi(kOut, f32, [1, G, rows, d]), vi(vOut, f32, [1, G, rows, d]));
  return finish(ctx);
}
