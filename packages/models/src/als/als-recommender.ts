import type { CsrMatrix } from '@trustrec/core-linalg';
import { FactorRecommender } from '../recommender/base-recommender.js';
import type { PartialFitModel } from '../recommender/recommender.js';
import { checkPartialFit, growRows } from './als-common.js';

/**
 * What the two ALS models share: fold-in. A fold-in sets chosen rows of one side (users or items) to the exact
 * minimiser of the model's objective with the other side fixed — what data-poisoning attacks (U' for injected
 * users given V, Li et al. eq. 3–4) and unlearning (recomputing the rows a deletion touches) need. Ids at or beyond
 * the current row count append rows (rows in between stay zero).
 */
export abstract class AlsRecommender extends FactorRecommender implements PartialFitModel {
  /**
   * Solves rows `ids` of `target` in closed form from `interactions` (row t holds the interactions of ids[t])
   * with `fixed` (`fixedRows` rows) held fixed.
   */
  protected abstract solveFoldIn(
    target: Float32Array,
    fixed: Float32Array,
    fixedRows: number,
    interactions: CsrMatrix,
    ids: Int32Array,
  ): void;

  /** Fold-in of the given users with the item factors fixed; row t of `interactions` holds users[t]'s items. */
  partialFitUsers(users: Int32Array, interactions: CsrMatrix): void {
    this.requireFitted('partialFitUsers');
    const maxId = checkPartialFit(`${this.name}.partialFitUsers`, users, interactions, this.numItems);
    if (maxId >= this.numUsers) {
      this.users = growRows(this.users, maxId + 1, this.factors);
      this.numUsers = maxId + 1;
    }
    this.solveFoldIn(this.users, this.items, this.numItems, interactions, users);
  }

  /** Fold-in of the given items with the user factors fixed; row t of `interactions` holds items[t]'s users. */
  partialFitItems(items: Int32Array, interactions: CsrMatrix): void {
    this.requireFitted('partialFitItems');
    const maxId = checkPartialFit(`${this.name}.partialFitItems`, items, interactions, this.numUsers);
    if (maxId >= this.numItems) {
      this.items = growRows(this.items, maxId + 1, this.factors);
      this.numItems = maxId + 1;
    }
    this.solveFoldIn(this.items, this.users, this.numUsers, interactions, items);
  }
}
