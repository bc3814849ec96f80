package org.archrepair.kernels.cpu.fast;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The panel plans of the register tiles, from hand-worked cases. */
class RowPanelsTest {

    @Test
    void fourAndSixRowPanelsCoverTheChannelCountsOfCnnsWithoutPadding() {
        // m -> (4-row panels, 6-row panels): the fewest padding rows, then the most 6-row panels
        assertEquals(new RowPanels(4, 1, 6, 2), RowPanels.mixed(16, 4, 6));     // 4 + 12 (of() keeps 4-row panels for 16 rows)
        assertEquals(new RowPanels(4, 2, 6, 4), RowPanels.mixed(32, 4, 6));     // 8 + 24
        assertEquals(new RowPanels(4, 1, 6, 10), RowPanels.mixed(64, 4, 6));    // 4 + 60
        assertEquals(new RowPanels(4, 0, 6, 2), RowPanels.mixed(12, 4, 6));
        assertEquals(new RowPanels(4, 1, 6, 170), RowPanels.mixed(1024, 4, 6));
        assertEquals(new RowPanels(4, 1, 6, 0), RowPanels.mixed(3, 4, 6));      // one padding row
        assertEquals(new RowPanels(4, 0, 6, 1), RowPanels.mixed(5, 4, 6));      // one padding row, a 6-row tile
        assertEquals(new RowPanels(4, 1, 6, 0), RowPanels.mixed(1, 4, 6));      // pads 3 rows, not 5
    }

    @Test
    void panelStartsHeightsAndBlocks() {
        RowPanels p = new RowPanels(4, 2, 6, 41);                               // 8 + 246 = 254 rows
        assertEquals(254, p.rows());
        assertEquals(43, p.panels());
        assertEquals(0, p.start(0));
        assertEquals(4, p.start(1));
        assertEquals(8, p.start(2));
        assertEquals(14, p.start(3));
        assertEquals(254, p.start(43));
        assertEquals(4, p.heightAt(7));
        assertEquals(6, p.heightAt(8));
        // blocks of 240 rows of 6-row panels, the 4-row panels with the first: [0, 248), [248, 254)
        assertEquals(248, p.blockEnd(0, 240));
        assertEquals(254, p.blockEnd(248, 240));
    }
}
