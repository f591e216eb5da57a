import { TrustRecError, createRng } from '@trustrec/core-linalg';
import { describe, expect, it } from 'vitest';
import { type NcfKind, NcfNetwork } from './ncf-network.js';
import type { TowerKernelName } from './tower-kernels.js';

const NUM_USERS = 5;
const NUM_ITEMS = 7;
const users = Int32Array.of(0, 1, 2, 2, 4, 3, 0, 6 % NUM_USERS);
const items = Int32Array.of(1, 3, 0, 6, 2, 5, 1, 4);
const labels = Float32Array.of(1, 0, 1, 0, 0, 1, 1, 0);

/** A small network with large random parameters, so ReLUs are mixed and gradients are far from zero. */
function smallNetwork(kind: NcfKind, kernels: TowerKernelName, seed = 3): NcfNetwork {
  const network = new NcfNetwork(
    { kind, numUsers: NUM_USERS, numItems: NUM_ITEMS, factors: 4, layers: kind === 'gmf' ? [] : [8, 8, 4] },
    16,
    kernels,
  );
  network.initialize(createRng(seed));
  const rng = createRng(seed + 100);
  for (const name of network.parameterNames) {
    const values = network.parameters[name].map(() => rng.normal(0, 0.6));
    network.setParameter(name, values);
  }
  return network;
}

function meanLoss(network: NcfNetwork, u = users, i = items, y = labels): number {
  const logits = network.forward(u, i, u.length);
  let loss = 0;
  for (let s = 0; s < u.length; s++) {
    const z = logits[s];
    loss += -(y[s] * Math.log(1 / (1 + Math.exp(-z))) + (1 - y[s]) * Math.log(1 - 1 / (1 + Math.exp(-z))));
  }
  return loss / u.length;
}

describe('NcfNetwork backward pass', () => {
  for (const kind of ['gmf', 'mlp', 'neumf'] as const) {
    for (const kernels of ['typed-array', 'wasm-simd'] as const) {
      it(`${kind} (${kernels}): every parameter's gradient matches central finite differences`, () => {
        const network = smallNetwork(kind, kernels);
        const summed = network.computeGradients(users, items, labels, users.length);
        expect(summed / users.length).toBeCloseTo(meanLoss(network), 5);
        const analytic: Record<string, Float32Array> = {};
        const embeddingRows: Record<string, number> = {
          gmfUser: NUM_USERS,
          mlpUser: NUM_USERS,
          gmfItem: NUM_ITEMS,
          mlpItem: NUM_ITEMS,
        };
        for (const name of network.parameterNames) {
          if (name in embeddingRows) {
            const rows = embeddingRows[name];
            const width = network.parameters[name].length / rows;
            const full = new Float32Array(rows * width);
            for (let r = 0; r < rows; r++) full.set(network.embeddingGradient(name as 'gmfUser', r), r * width);
            analytic[name] = full;
          } else {
            analytic[name] = network.denseGradients[name].slice();
          }
        }
        const epsilon = 1e-3;
        let checked = 0;
        let largest = 0;
        for (const name of network.parameterNames) {
          const theta = network.parameters[name];
          for (let i = 0; i < theta.length; i++) {
            const original = theta[i];
            theta[i] = original + epsilon;
            const plus = meanLoss(network);
            theta[i] = original - epsilon;
            const minus = meanLoss(network);
            theta[i] = original;
            const numeric = (plus - minus) / (2 * epsilon);
            const error = Math.abs(numeric - analytic[name][i]);
            largest = Math.max(largest, Math.abs(numeric));
            expect(error, `${name}[${i}]: numeric ${numeric}, analytic ${analytic[name][i]}`).toBeLessThan(
              3e-4 + 2e-2 * Math.abs(numeric),
            );
            checked++;
          }
        }
        expect(checked).toBeGreaterThan(kind === 'gmf' ? 40 : 150);
        expect(largest).toBeGreaterThan(0.01); // the check is not vacuous
      });
    }
  }

  it('the embedding penalty adds the gradient of λ‖θ‖² over the touched rows only (finite differences)', () => {
    const lambda = 0.05;
    // the first four pairs touch users {0, 1, 2} and items {0, 1, 3, 6}: the other rows must stay gradient-free
    const [u, i, y] = [users.subarray(0, 4), items.subarray(0, 4), labels.subarray(0, 4)];
    const network = smallNetwork('neumf', 'typed-array');
    const plain = smallNetwork('neumf', 'typed-array');
    network.embeddingRegularization = lambda;
    const summed = network.computeGradients(u, i, y, u.length);
    expect(summed).toBeCloseTo(plain.computeGradients(u, i, y, u.length), 6); // the returned loss is BCE only
    const touched = { User: new Set(u), Item: new Set(i) };
    const objective = (): number => {
      let penalty = 0;
      for (const table of ['gmfUser', 'gmfItem', 'mlpUser', 'mlpItem'] as const) {
        const theta = network.parameters[table];
        const rows = table.endsWith('User') ? NUM_USERS : NUM_ITEMS;
        const width = theta.length / rows;
        for (const row of touched[table.endsWith('User') ? 'User' : 'Item']) {
          for (let k = 0; k < width; k++) penalty += theta[row * width + k] ** 2;
        }
      }
      return meanLoss(network, u, i, y) + lambda * penalty;
    };
    const epsilon = 1e-3;
    let untouchedChecked = 0;
    for (const table of ['gmfUser', 'gmfItem', 'mlpUser', 'mlpItem'] as const) {
      const theta = network.parameters[table];
      const rows = table.endsWith('User') ? NUM_USERS : NUM_ITEMS;
      const width = theta.length / rows;
      for (let row = 0; row < rows; row++) {
        const analytic = network.embeddingGradient(table, row);
        const withoutPenalty = plain.embeddingGradient(table, row);
        for (let k = 0; k < width; k++) {
          const i = row * width + k;
          const original = theta[i];
          theta[i] = original + epsilon;
          const plus = objective();
          theta[i] = original - epsilon;
          const minus = objective();
          theta[i] = original;
          const numeric = (plus - minus) / (2 * epsilon);
          expect(Math.abs(numeric - analytic[k]), `${table}[${row}, ${k}]`).toBeLessThan(
            3e-4 + 2e-2 * Math.abs(numeric),
          );
          const isTouched = touched[table.endsWith('User') ? 'User' : 'Item'].has(row);
          if (isTouched) expect(analytic[k] - withoutPenalty[k]).toBeCloseTo(2 * lambda * original, 5);
          else {
            expect(analytic[k]).toBe(0);
            untouchedChecked++;
          }
        }
      }
    }
    expect(untouchedChecked).toBe(2 * (2 * 4 + 3 * 4)); // users 3, 4 and items 2, 4, 5 in both parts (width 4)
  });

  it('rows the batch does not touch get no gradient and are not updated', () => {
    const network = smallNetwork('neumf', 'typed-array');
    const before = network.parameters.mlpItem.slice();
    network.trainBatch(Int32Array.of(0), Int32Array.of(2), Float32Array.of(1), 1, 0.01);
    expect(Array.from(network.embeddingGradient('mlpItem', 3))).toEqual([0, 0, 0, 0]);
    const width = 4;
    for (let row = 0; row < NUM_ITEMS; row++) {
      const changed = network.parameters.mlpItem
        .subarray(row * width, (row + 1) * width)
        .some((value, c) => value !== before[row * width + c]);
      expect(changed).toBe(row === 2);
    }
  });

  it('SIMD and typed-array kernels train to the same parameters (within float32 rounding)', () => {
    const simd = smallNetwork('neumf', 'wasm-simd');
    const typed = smallNetwork('neumf', 'typed-array');
    for (let step = 0; step < 50; step++) {
      simd.trainBatch(users, items, labels, users.length, 0.01);
      typed.trainBatch(users, items, labels, users.length, 0.01);
    }
    for (const name of simd.parameterNames) {
      const a = simd.parameters[name];
      const b = typed.parameters[name];
      for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-4);
    }
  });

  it('Adam steps lower the loss on a fixed batch', () => {
    const network = smallNetwork('neumf', 'wasm-simd');
    const first = network.trainBatch(users, items, labels, users.length, 0.01);
    let last = first;
    for (let step = 0; step < 200; step++) last = network.trainBatch(users, items, labels, users.length, 0.01);
    expect(last).toBeLessThan(first * 0.2);
  });

  it('rejects impossible shapes with E_SHAPE', () => {
    const attempt = (layers: number[]) => () =>
      new NcfNetwork({ kind: 'mlp', numUsers: 2, numItems: 2, factors: 0, layers }, 4);
    for (const layers of [[7, 4], [8]]) {
      try {
        attempt(layers)();
        throw new Error('expected E_SHAPE');
      } catch (error) {
        expect(TrustRecError.isInstance(error, 'E_SHAPE')).toBe(true);
      }
    }
    const network = smallNetwork('mlp', 'typed-array');
    expect(() => network.forward(new Int32Array(17), new Int32Array(17), 17)).toThrow(/capacity/);
  });

  it('forward refuses ids outside the tables, short id arrays and a short out buffer (E_SHAPE), instead of reading other memory', () => {
    for (const kernels of ['typed-array', 'wasm-simd'] as const) {
      const network = smallNetwork('neumf', kernels);
      const expectShape = (action: () => unknown, pattern: RegExp) =>
        expect(action).toThrow(expect.objectContaining({ code: 'E_SHAPE', message: expect.stringMatching(pattern) }));
      expectShape(
        () => network.forward(Int32Array.of(0, NUM_USERS), Int32Array.of(0, 1), 2),
        /users\[1\] = 5 is outside \[0, 5\)/,
      );
      expectShape(
        () => network.forward(Int32Array.of(0, 1), Int32Array.of(-1, 1), 2),
        /items\[0\] = -1 is outside \[0, 7\)/,
      );
      expectShape(() => network.forward(Int32Array.of(0), Int32Array.of(0, 1), 2), /hold fewer than 2 ids/);
      expectShape(
        () => network.forward(Int32Array.of(0, 1), Int32Array.of(0, 1), 2, new Float32Array(3), 2),
        /no room for 2 logits/,
      );
      expectShape(
        () => network.computeGradients(users, items, labels.subarray(0, 4), users.length),
        /labels has 4 values/,
      );
      // Valid calls give the same logits as before (into out at an offset, or the scratch buffer).
      const out = new Float32Array(10);
      network.forward(users, items, users.length, out, 2);
      expect(Array.from(out.subarray(2))).toEqual(
        Array.from(network.forward(users, items, users.length).subarray(0, 8)),
      );
    }
  });
});
